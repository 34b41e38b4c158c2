// What a stop-payment needs, remembered across the conversation: the amount, method, time and account
// the person mentioned, whenever they mentioned them. A state that `asks:` for a slot already filled is
// skipped; an answer to a slot question is read as that slot first, before its intent counts.
import type { PaymentDetails } from '../../nlu-models/src/intents';

/** Slots filled from the classifier's payment extraction on every reply. */
export const PAYMENT_SLOTS = ['amount', 'method', 'time', 'account'] as const;
export type PaymentSlot = (typeof PAYMENT_SLOTS)[number];

/** What the extraction heard for each payment slot ("amount" → "30000", "method" → "bank_transfer"). */
export function heardSlots(p: PaymentDetails | undefined): Partial<Record<PaymentSlot, string>> {
  if (!p) return {};
  const out: Partial<Record<PaymentSlot, string>> = {};
  const put = (slot: PaymentSlot, values: readonly (string | number)[] | undefined) => {
    if (values?.length) out[slot] = values.map(String).join(', ');
  };
  put('amount', p.amounts);
  put('method', p.methods);
  put('time', p.times);
  put('account', p.accounts);
  return out;
}

// A bare amount: "30000", "3,000元", "¥5000", "5000 yuan". (Amounts in words are the extraction's job.)
const BARE_AMOUNT = /^\s*(?:[¥￥$]\s*)?(\d[\d,，]*(?:\.\d+)?)\s*(?:元|块钱?|rmb|yuan|dollars?|usd|cny)?\s*[.。!！]?\s*$/i;
const MAX_TIME_TEXT = 80;

/**
 * The reply read as the answer to a question for `slot`, or undefined when it does not answer it.
 * A time is kept as said ("昨天晚上八点"), since the extraction only picks out its time words.
 */
export function answerFor(slot: string, text: string, p: PaymentDetails | undefined): string | undefined {
  const heard = heardSlots(p);
  if (slot === 'amount') {
    if (heard.amount) return heard.amount;
    const bare = BARE_AMOUNT.exec(text.normalize('NFKC'));
    return bare ? bare[1]!.replace(/[,，]/g, '') : undefined;
  }
  if (slot === 'time') return heard.time ? text.trim().slice(0, MAX_TIME_TEXT) || heard.time : undefined;
  if (slot === 'method' || slot === 'account') return heard[slot];
  return undefined;
}
