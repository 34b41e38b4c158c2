// The one masking policy for phone numbers, used at every exit: API presenters, log records, exports.
// A number keeps its country prefix and last four digits (+86139****5678); everything else that looks
// like a phone number in free text is masked the same way, however it was written.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { types } from 'node:util';
import { stdSerializers } from 'pino';

/** +8613800138000 → +86138****8000 */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return '';
  const digits = phone.replace(/[^\d+]/g, '');
  if (digits.length <= 6) return '****';
  return `${digits.slice(0, digits.length - 8 > 3 ? digits.length - 8 : 3)}****${digits.slice(-4)}`;
}

/** Full-width digits and punctuation, and the dashes and spaces people type, as their ASCII twins (one char each). */
const TWINS: Record<string, string> = { '＋': '+', '（': '(', '）': ')', '－': '-', '．': '.', '／': '/', '\u3000': ' ', '\u00a0': ' ', '‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-' };
function ascii(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 0xff10 && code <= 0xff19 ? String(code - 0xff10) : (TWINS[ch] ?? ch);
  }
  return out;
}

/** Dates and times: figures that look like numbers but are not phones (2026-09-08, 2026年9月8日, 10:30). */
const DATE_OR_TIME = /\d{4}(?:[-/.]\d{1,2}[-/.]\d{1,2}|年\d{1,2}月\d{1,2}日?)(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?|\d{1,2}:\d{2}(?::\d{2})?/g;

/**
 * A run of digits with the separators phone numbers are written with, optionally after + / 00 / %2B.
 * Not glued to a word (case refs, hex ids), nor to a word followed by a dash or dot (the tail of a UUID), nor
 * followed by a dash and four hex digits and a dash (the head of a UUID whose first groups are digits).
 */
const CANDIDATE = /(?<![A-Za-z0-9_])(?<![A-Za-z0-9][-.])(?:\+|%2[Bb])?\(?\d(?:[ \-./()]{0,3}\d)+(?![A-Za-z0-9_])(?!-[0-9A-Fa-f]{4}-)/g;
const GROUP = /\d+/g;

const CN_MOBILE = /^(?:86)?1[3-9]\d{9}$/;
const CN_LANDLINE = /^0[1-9]\d{8,10}$/;

/**
 * A number that is surely a phone: international (+ / 00, a length the country allows), a Chinese mobile
 * (with or without 86), or a Chinese landline with its area code. Its canonical spelling, for maskPhone.
 */
function asStrongPhone(digits: string, international: boolean): string | undefined {
  if (international) {
    const p = parsePhoneNumberFromString(`+${digits}`);
    return p?.isPossible() ? `+${digits}` : undefined;
  }
  if (CN_MOBILE.test(digits)) return digits.length === 13 ? `+${digits}` : digits;
  if (CN_LANDLINE.test(digits)) return digits;
  return undefined;
}

/** 6222020200112233445 → 6222****3445: a card or account number keeps its bank prefix and last four. */
export const maskAccount = (digits: string): string => `${digits.slice(0, 4)}****${digits.slice(-4)}`;

type Group = { at: number; text: string };
type Found = { end: number; masked: string };

export interface MaskOptions {
  /** What a detected number becomes; default its masked form (+86139****5678, 6222****3445). */
  replace?: (kind: 'phone' | 'account', canonical: string) => string;
}
const DEFAULT_REPLACE: Required<MaskOptions>['replace'] = (kind, n) => (kind === 'phone' ? maskPhone(n) : maskAccount(n));

/** The longest run of groups from `i` that reads as one number to mask, and how it is masked. */
function numberAt(groups: Group[], i: number, international: boolean, replace: Required<MaskOptions>['replace']): Found | undefined {
  let phone: Found | undefined;
  let account: Found | undefined;
  let digits = '';
  for (let j = i; j < groups.length && digits.length <= 19; j++) {
    digits += groups[j]!.text;
    const d = international && digits.startsWith('00') ? digits.slice(2) : digits;
    const p = d.length <= 15 ? asStrongPhone(d, international) : undefined;
    if (p) phone = { end: j, masked: replace('phone', p) };
    if (!international && d.length >= 13 && d.length <= 19) account = { end: j, masked: replace('account', d) };
  }
  if (phone) return phone;
  if (account) return account;
  // Anything else of 10 to 12 digits written as one number: masking a long order number is a smaller
  // harm than showing a phone from another country written without its prefix.
  const rest = groups.slice(i).map((g) => g.text).join('');
  return rest.length >= 10 && rest.length <= 12 ? { end: groups.length - 1, masked: replace('phone', rest) } : undefined;
}

/**
 * Masks every phone number in free text, and every card or account number (13-19 digits), however it
 * is written (separators, parentheses, full-width digits, +86 / 0086 / 86), leaving amounts, dates,
 * times, case refs and ids as they are.
 */
export function maskNumbersIn(text: string, opts: MaskOptions = {}): string {
  const replace = opts.replace ?? DEFAULT_REPLACE;
  if (!/[\d\uff10-\uff19]/.test(text)) return text;
  const plain = ascii(text);
  // Same length as the text (every twin is one UTF-16 unit), so offsets found here apply to the original.
  const searchable = plain.replace(DATE_OR_TIME, (m) => 'x'.repeat(m.length));
  const cuts: { from: number; to: number; masked: string }[] = [];
  for (const m of searchable.matchAll(CANDIDATE)) {
    const start = m.index!;
    const prefix = m[0].startsWith('+') ? 1 : /^%2b/i.test(m[0]) ? 3 : 0;
    const groups = [...m[0].slice(prefix).matchAll(GROUP)].map((g) => ({ at: start + prefix + g.index!, text: g[0] }));
    for (let i = 0; i < groups.length; ) {
      const first = groups[i]!;
      const found = numberAt(groups, i, (i === 0 && prefix > 0) || first.text.startsWith('00'), replace);
      if (!found) {
        i += 1;
        continue;
      }
      // From the match's start for its first number: a leading "+", "%2B" or "(" goes with it.
      const last = groups[found.end]!;
      cuts.push({ from: i === 0 ? start : first.at, to: last.at + last.text.length, masked: found.masked });
      i = found.end + 1;
    }
  }
  let out = '';
  let at = 0;
  for (const c of cuts) {
    out += text.slice(at, c.from) + c.masked;
    at = c.to;
  }
  return out + text.slice(at);
}

/** The name the masking of free text had before it covered account numbers too. */
export const maskPhonesIn = maskNumbersIn;

/** Keys whose string value is a phone number (or a chat id) in full. */
const PHONE_KEYS = new Set(['phone', 'to', 'from', 'To', 'From', 'Called', 'Caller', 'target']);
const MAX_DEPTH = 10;

/**
 * A copy of any value with every phone number masked: strings anywhere, phone fields, errors (as pino
 * serialises them, stack and cause included). Cycles and very deep values are cut, never followed.
 */
export function maskDeep(value: unknown, opts: MaskOptions = {}): unknown {
  const seen = new WeakSet<object>();
  const whole = (v: string) => (opts.replace ? opts.replace('phone', v) : maskPhone(v));
  const walk = (v: unknown, depth: number, key?: string): unknown => {
    if (typeof v === 'string') return key && PHONE_KEYS.has(key) && /^\+?[\d\s().-]{7,}$/.test(v) ? whole(v) : maskNumbersIn(v, opts);
    if (v === null || typeof v !== 'object') return v;
    if (seen.has(v)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[deep]';
    seen.add(v);
    try {
      // isNativeError: an error made in another realm (a vm context, a test runner) is no instanceof Error here.
      if (v instanceof Error || types.isNativeError(v)) return walk(stdSerializers.err(v as Error), depth + 1);
      if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1));
      if (v instanceof Date) return v;
      if (Buffer.isBuffer(v)) return `[${v.length} bytes]`;
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = walk(x, depth + 1, k);
      return out;
    } finally {
      seen.delete(v);
    }
  };
  return walk(value, 0);
}
