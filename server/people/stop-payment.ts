// The stop-payment fast lane: what the citizen said about the payment, the clock since they first
// mentioned it, and the request the desk sends to the bank liaison.
import { z } from 'zod';
import type { MessageRow } from '../store/schema';
import { fromJson } from '../store/ids';
import type { PaymentDetails } from '../../nlu-models/src/intents';
import { STOP_PAYMENT_HEADERS, localTimeWithOffset, vocabularyLabel, type UiLocale } from '../../web/i18n';

export interface StopPaymentPrefill {
  /** When the citizen first said they had paid (the golden hour runs from here). */
  firstMentionedAt: string | null;
  amount: number | null;
  method: string | null;
  paidAt: string | null;
  account: string | null;
  /** Everything the classifier extracted, for the officer to choose from. */
  said: PaymentDetails;
}

/** The largest amount a stop-payment request accepts (see stopPaymentSchema). */
const MAX_AMOUNT = 1e10;

export function stopPaymentPrefill(messages: MessageRow[], slots: Record<string, string> = {}): StopPaymentPrefill | null {
  const said: PaymentDetails = { amounts: [], methods: [], times: [], accounts: [] };
  let firstMentionedAt: string | null = null;
  let account: string | null = null;
  for (const m of messages) {
    if (m.direction !== 'in') continue;
    const c = fromJson<{ intent?: string; payment?: Partial<PaymentDetails> } | null>(m.classification, null);
    const p = c?.payment;
    // A figure beyond any payment is the account or card number read as an amount: never offer it.
    const amounts = (p?.amounts ?? []).filter((a) => a <= MAX_AMOUNT);
    const mentions = m.intent === 'already_paid' || amounts.length > 0;
    if (mentions && !firstMentionedAt) firstMentionedAt = m.created_at;
    for (const a of amounts) if (!said.amounts.includes(a)) said.amounts.push(a);
    for (const x of p?.methods ?? []) if (!said.methods.includes(x)) said.methods.push(x);
    for (const t of p?.times ?? []) if (!said.times.includes(t)) said.times.push(t);
    if (mentions) for (const a of p?.accounts ?? []) if (!said.accounts!.includes(a)) said.accounts!.push(a);
    // The classifier tells account and card numbers apart from amounts and phone numbers.
    if (mentions && !account) account = said.accounts![0] ?? null;
  }
  if (!firstMentionedAt) return null;
  const slotAmount = slots.amount ? Number(String(slots.amount).replace(/[^\d.]/g, '')) : NaN;
  return {
    firstMentionedAt,
    // The largest figure is usually the total; the officer confirms it with the citizen.
    amount: said.amounts.length ? Math.max(...said.amounts) : Number.isFinite(slotAmount) && slotAmount > 0 ? slotAmount : null,
    method: said.methods[0] ?? slots.method ?? null,
    paidAt: said.times[0] ?? slots.time ?? null,
    account,
    said,
  };
}

export const stopPaymentSchema = z.object({
  amount: z.number({ message: 'must be a number' }).positive('must be more than 0').max(MAX_AMOUNT),
  currency: z.string().trim().regex(/^[A-Z]{3}$/, 'must be a 3-letter code like CNY').default('CNY'),
  method: z.string().trim().min(1, 'required: the bank or payment method').max(100),
  account: z.string().trim().min(1, 'required: the account or payee the money went to').max(100),
  paidAt: z.string().trim().min(1, 'required: when the money was sent').max(100),
});
export type StopPaymentDetail = z.infer<typeof stopPaymentSchema>;

export interface StopPaymentRecord {
  caseRef: string;
  caseId: string;
  handoffId: string;
  citizen: string | null;
  phone: string;
  amount: number;
  currency: string;
  method: string;
  account: string;
  paidAt: string;
  firstMentionedAt: string | null;
  requestedAt: string;
  requestedBy: string | null;
  minutesFromMention: number | null;
  note: string | null;
}

export const STOP_PAYMENT_COLUMNS = [
  'caseRef',
  'requestedAt',
  'firstMentionedAt',
  'minutesFromMention',
  'amount',
  'currency',
  'method',
  'account',
  'paidAt',
  'citizen',
  'phone',
  'requestedBy',
  'note',
  'caseId',
  'handoffId',
] as const satisfies readonly (keyof StopPaymentRecord)[];
// Every column has its heading in the consoles' catalogue (web/i18n).
STOP_PAYMENT_HEADERS satisfies Record<(typeof STOP_PAYMENT_COLUMNS)[number], unknown>;

/** Columns holding UTC instants, written as the centre's wall time with its offset. */
const TIME_COLUMNS = new Set<string>(['requestedAt', 'firstMentionedAt']);

/**
 * RFC 4180 CSV for the bank liaison, in their language: headings from the catalogue, times in the centre's
 * zone with its offset ("2026-11-22 10:20:00 +08:00"), payment methods by name. Text starting with =, +, -, @
 * is prefixed with ' so a spreadsheet never runs it as a formula; plain numbers such as +8613800138000 are
 * left as they are.
 */
export function toCsv(rows: StopPaymentRecord[], opts: { locale: UiLocale; utcOffsetMinutes: number }): string {
  const cell = (v: unknown): string => {
    let s = v == null ? '' : String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?[\d*. ]+$/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const value = (r: StopPaymentRecord, c: (typeof STOP_PAYMENT_COLUMNS)[number]): unknown =>
    TIME_COLUMNS.has(c) ? localTimeWithOffset(r[c] as string | null, opts.utcOffsetMinutes) : c === 'method' ? vocabularyLabel('paymentMethod', r.method, opts.locale) : r[c];
  const head = STOP_PAYMENT_COLUMNS.map((c) => cell(STOP_PAYMENT_HEADERS[c][opts.locale])).join(',');
  return [head, ...rows.map((r) => STOP_PAYMENT_COLUMNS.map((c) => cell(value(r, c))).join(','))].join('\r\n') + '\r\n';
}
