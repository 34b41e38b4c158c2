import twilio from 'twilio';
import type { Prompt } from '../types';
import type { Locale } from '../vocabulary';
import { lastMenu, voiceMenuLine } from './menu';
import { systemText } from '../messages';

export interface VoiceRenderOptions {
  /** Where Twilio posts the speech/digits (and, with no input, an empty result). */
  gatherActionUrl: string;
  /** Say language; default zh-CN for zh, en-US for en. */
  language?: string;
  /** Default Polly.Zhiyu-Neural for zh, Polly.Joanna-Neural for en. */
  voice?: string;
  /** Default 'auto'. */
  speechTimeout?: string;
  /** Key that reaches a human; default '0'. Only announced when the menu does not already offer it. */
  humanKey?: string;
}

// Twilio's speech recogniser names Mandarin cmn-Hans-CN; <Say> takes zh-CN.
export const VOICE_DEFAULTS: Record<Locale, { say: string; gather: string; voice: string }> = {
  zh: { say: 'zh-CN', gather: 'cmn-Hans-CN', voice: 'Polly.Zhiyu-Neural' },
  en: { say: 'en-US', gather: 'en-US', voice: 'Polly.Joanna-Neural' },
};

export function renderVoice(prompts: Prompt[], opts: VoiceRenderOptions | undefined, hangup: boolean): { channel: 'voice'; twiml: string } {
  const locale: Locale = prompts[prompts.length - 1]?.locale ?? 'zh';
  const d = VOICE_DEFAULTS[locale];
  const sayAttrs = { language: (opts?.language ?? d.say) as never, voice: (opts?.voice ?? d.voice) as never };
  const r = new twilio.twiml.VoiceResponse();
  const texts = prompts.map((p) => p.text.trim()).filter(Boolean);

  if (hangup || !opts) {
    for (const t of texts) r.say(sayAttrs, t);
    r.hangup();
    return { channel: 'voice', twiml: r.toString() };
  }

  const menu = lastMenu(prompts);
  const humanKey = opts.humanKey ?? '0';
  const lines = menu.map((m) => voiceMenuLine(locale, m));
  if (!menu.some((m) => m.key === humanKey)) lines.push(systemText('menu.voice_human_key', locale, { key: humanKey }));
  const hints = prompts[prompts.length - 1]?.hints ?? [];
  const gather = r.gather({
    input: ['speech', 'dtmf'],
    language: d.gather as never,
    ...(hints.length ? { hints: hints.join(', ') } : {}),
    speechTimeout: opts.speechTimeout ?? 'auto',
    action: opts.gatherActionUrl,
    method: 'POST',
    numDigits: 1,
    actionOnEmptyResult: true,
  });
  for (const t of texts) gather.say(sayAttrs, t);
  gather.say(sayAttrs, lines.join(locale === 'zh' ? '' : ' '));
  return { channel: 'voice', twiml: r.toString() };
}
