// Shared words of the domain: the warning contract and the names flows, server and desk agree on.
export const SCAM_TYPES = [
  'pig_butchering',
  'impersonation_police',
  'fake_customer_service',
  'task_rebate',
  'loan',
  'investment',
  'gaming_trade',
  'sextortion',
  'relative_in_trouble',
  'other',
] as const;
export type ScamType = (typeof SCAM_TYPES)[number];

/** An upstream's scam label as one of ours: an unknown label is worked as `other`, and kept as `upstream`. */
export function scamTypeOf(label: string | null | undefined): { scamType: ScamType; upstream: string | null } {
  const given = label?.trim() || null;
  return given !== null && (SCAM_TYPES as readonly string[]).includes(given) ? { scamType: given as ScamType, upstream: null } : { scamType: 'other', upstream: given };
}

export const RISK_LEVELS = ['low', 'medium', 'high'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const LOCALES = ['zh', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

export const CHANNELS = ['voice', 'sms', 'telegram'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** Why a case went to a human. */
export const HANDOFF_REASONS = [
  'already_paid',
  'mid_scam',
  'request_human',
  'low_confidence',
  'distrust',
  'unreachable',
  'review',
  'opted_out',
  'flow_error',
  'other',
] as const;
export type HandoffReason = (typeof HANDOFF_REASONS)[number];

/** Higher number = more urgent. already_paid > mid_scam > unreachable high-risk > the rest. */
export const HANDOFF_PRIORITIES = { already_paid: 100, mid_scam: 80, unreachable_high: 60, normal: 40, review: 20 } as const;

export const OUTCOMES = [
  'dissuaded',
  'stop_payment_requested',
  'visit_dispatched',
  'unreachable',
  'wrong_person',
  'false_alarm',
  'safe_aware',
  'opted_out',
  'returned_to_flow',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Outcomes a dissuader may close a handoff with, in the order the desk offers them. */
export const DESK_OUTCOMES = ['dissuaded', 'stop_payment_requested', 'visit_dispatched', 'unreachable', 'wrong_person', 'false_alarm'] as const satisfies readonly Outcome[];
export type DeskOutcome = (typeof DESK_OUTCOMES)[number];
