// The consoles' catalogue: labels (messages.ts), the shared vocabulary (vocabulary.ts), CSV headers, and
// dates and times in the centre's zone. Bundled for the browser into /build/i18n.js (server/http/web-build.ts);
// the server imports it too, so a CSV and a page say the same words.
import { MESSAGES, type MessageKey } from './messages';
import { DEFAULT_UI_LOCALE, UI_LOCALES, VOCABULARY, vocabularyLabel, type Label, type UiLocale, type VocabularyKind } from './vocabulary';

export { MESSAGES, DEFAULT_UI_LOCALE, UI_LOCALES, VOCABULARY, vocabularyLabel };
// The code's vocabulary itself, for the consoles' pickers (intent corrections, outcomes, filters).
export { INTENTS } from '../../nlu-models/src/intents';
export { DESK_OUTCOMES, HANDOFF_REASONS, RISK_LEVELS, SCAM_TYPES } from '../../flows/engine/vocabulary';
export type { Label, MessageKey, UiLocale, VocabularyKind };

export type Params = Record<string, string | number | null | undefined>;

export const isUiLocale = (v: unknown): v is UiLocale => typeof v === 'string' && (UI_LOCALES as readonly string[]).includes(v);

/** The BCP 47 tag for Intl and <html lang>. */
export const languageTag = (locale: UiLocale): string => (locale === 'zh' ? 'zh-CN' : 'en');

/** A label with {placeholders} filled; English picks the `_one` form when n is 1. Unknown keys show as themselves. */
export function translate(locale: UiLocale, key: MessageKey, params?: Params): string {
  const table = MESSAGES[locale];
  let text = (params && params.n === 1 && table[`${key}_one`]) || table[key] || MESSAGES[DEFAULT_UI_LOCALE][key] || key;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name: string) => (params[name] == null ? m : String(params[name])));
  return text;
}

/** "+08:00" for 480 minutes east of UTC. */
export function offsetLabel(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * The centre's zone for Intl. Whole hours map to the IANA "Etc/GMT∓h" zones (their sign is inverted by
 * definition); other offsets use the "+05:30" form, which current engines accept.
 */
export function timeZoneOf(offsetMinutes: number): string {
  if (offsetMinutes === 0) return 'UTC';
  if (offsetMinutes % 60 === 0) return `Etc/GMT${offsetMinutes > 0 ? '-' : '+'}${Math.abs(offsetMinutes) / 60}`;
  return offsetLabel(offsetMinutes);
}

/** "2026-11-22 18:20:05 +08:00": a UTC instant as the centre's wall time with its offset (CSV exports). */
export function localTimeWithOffset(iso: string | null | undefined, offsetMinutes: number): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const local = new Date(ms + offsetMinutes * 60_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)} ${offsetLabel(offsetMinutes)}`;
}

export interface Formatters {
  /** 18:20:05 */
  time(iso: string | null | undefined): string;
  /** 11月22日 18:20 / 22 Nov, 18:20 */
  dateTime(iso: string | null | undefined): string;
  /** 2026/11/22 18:20:05 (full, for titles) */
  full(iso: string | null | undefined): string;
  number(n: number): string;
  money(amount: number, currency?: string): string;
}

export function formatters(locale: UiLocale, offsetMinutes: number): Formatters {
  const tag = languageTag(locale);
  const timeZone = timeZoneOf(offsetMinutes);
  const time = new Intl.DateTimeFormat(tag, { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
  const dateTime = new Intl.DateTimeFormat(tag, { timeZone, month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const full = new Intl.DateTimeFormat(tag, { timeZone, dateStyle: 'medium', timeStyle: 'medium', hourCycle: 'h23' });
  const number = new Intl.NumberFormat(tag);
  const wrap = (f: Intl.DateTimeFormat) => (iso: string | null | undefined) => {
    if (!iso) return '';
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? String(iso) : f.format(d);
  };
  return {
    time: wrap(time),
    dateTime: wrap(dateTime),
    full: wrap(full),
    number: (n) => number.format(n),
    money: (amount, currency = 'CNY') => {
      try {
        return new Intl.NumberFormat(tag, { style: 'currency', currency, maximumFractionDigits: 2 }).format(amount);
      } catch {
        return `${currency} ${number.format(amount)}`;
      }
    },
  };
}

/** Column headers of the stop-payment export (server/people/stop-payment.ts STOP_PAYMENT_COLUMNS). */
export const STOP_PAYMENT_HEADERS = {
  caseRef: { zh: '案件编号', en: 'Case ref' },
  requestedAt: { zh: '申请止付时间', en: 'Requested at' },
  firstMentionedAt: { zh: '首次提到付款时间', en: 'First said paid at' },
  minutesFromMention: { zh: '距首次提到（分钟）', en: 'Minutes from mention' },
  amount: { zh: '金额', en: 'Amount' },
  currency: { zh: '币种', en: 'Currency' },
  method: { zh: '银行/支付方式', en: 'Bank / method' },
  account: { zh: '收款账户', en: 'Receiving account' },
  paidAt: { zh: '付款时间（市民所述）', en: 'Paid at (as said)' },
  citizen: { zh: '市民', en: 'Citizen' },
  phone: { zh: '电话', en: 'Phone' },
  requestedBy: { zh: '经办民警', en: 'Requested by' },
  note: { zh: '备注', en: 'Note' },
  caseId: { zh: '案件 ID', en: 'Case id' },
  handoffId: { zh: '转人工 ID', en: 'Handoff id' },
} satisfies Record<string, Label>;
