// A text in a flow has one wording per locale, and may have its own wording for some channels: a call
// can say "hang up and call 96110", a text message cannot ("call 96110 to check that this is us").
import type { LocaleText } from './schema';
import type { ChannelName, Locale } from './vocabulary';

/** Variant keys of a text, most specific first for each channel. */
export const TEXT_VARIANTS = ['voice', 'sms', 'telegram', 'written'] as const;
export type TextVariant = (typeof TEXT_VARIANTS)[number];

const CHANNEL_ORDER: Record<ChannelName, TextVariant[]> = {
  voice: ['voice'],
  sms: ['sms', 'written'],
  telegram: ['telegram', 'written'],
};

/** The wording for this locale on this channel: the channel's own, then `written` (SMS, Telegram), then the plain one. */
export function textFor(t: LocaleText | undefined, locale: Locale, channel?: ChannelName): string | undefined {
  if (!t) return undefined;
  for (const v of channel ? CHANNEL_ORDER[channel] : []) {
    const own = t[v]?.[locale];
    if (own) return own;
  }
  return t[locale];
}

/** The plain wording and each channel variant, with the path to it; the checker walks them all. */
export function wordingsOf(t: LocaleText): { variant?: TextVariant; texts: Partial<Record<Locale, string>> }[] {
  const out: { variant?: TextVariant; texts: Partial<Record<Locale, string>> }[] = [{ texts: { zh: t.zh, en: t.en } }];
  for (const v of TEXT_VARIANTS) if (t[v]) out.push({ variant: v, texts: t[v]! });
  return out;
}

/** The channels a variant (or the plain wording, when no variant covers them) is sent on. */
export function channelsOf(t: LocaleText, variant?: TextVariant): ChannelName[] {
  return (['voice', 'sms', 'telegram'] as ChannelName[]).filter((c) => {
    const first = CHANNEL_ORDER[c].find((v) => t[v]);
    return variant ? first === variant : first === undefined;
  });
}
