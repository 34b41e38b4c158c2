// The nine reply intents. Flows, the desk and outside checks rely on these exact names.
export const INTENTS = [
  'safe_aware',
  'mid_scam',
  'already_paid',
  'request_human',
  'distrust',
  'wrong_person',
  'busy_later',
  'question',
  'other',
] as const;
export type Intent = (typeof INTENTS)[number];

/** A reply is at risk when the citizen is still in the scam or has already paid. */
export const AT_RISK_INTENTS: readonly Intent[] = ['mid_scam', 'already_paid'];
export const isAtRisk = (intent: Intent): boolean => AT_RISK_INTENTS.includes(intent);

export const NLU_LOCALES = ['zh', 'en'] as const;
export type NluLocale = (typeof NLU_LOCALES)[number];

/** What a stop-payment request needs, when the citizen said it. */
export interface PaymentDetails {
  /** Amounts in yuan (or the currency stated), normalised to numbers: "8千" → 8000, "两万" → 20000, "5k" → 5000. */
  amounts: number[];
  /** Payment methods or banks named: "alipay", "wechat_pay", "bank_transfer", "card", "crypto", or a bank name. */
  methods: string[];
  /** Time words as said: "昨天", "刚才", "yesterday", "10 minutes ago". */
  times: string[];
  /**
   * Bank card or account numbers said, digits only ("6222020200112233445"). Always present in classifier output;
   * optional here only so older stored classifications still type-check. Masking for display is the desk's job.
   */
  accounts?: string[];
}

export interface Classification {
  intent: Intent;
  confidence: number;
  atRisk: boolean;
  locale: NluLocale;
  /** Names of cue rules that fired, e.g. "safe_account", "verification_code". */
  cues: string[];
  lowConfidence: boolean;
  payment: PaymentDetails;
  modelVersion: string;
}

export interface Classifier {
  classify(text: string, locale?: NluLocale): Classification;
  readonly modelVersion: string;
}
