// Guards and actions a flow may name. A flow refers to them as { type: <name>, ...params };
// any name not registered here is a load error (never a silent no-op).
import { z } from 'zod';
import { CHANNELS, HANDOFF_REASONS, OUTCOMES, RISK_LEVELS } from './vocabulary';
import type { ConversationState, FlowContext } from './types';

export interface GuardInput {
  ctx: FlowContext;
  state: ConversationState;
}

const count = z.number().int().min(1).describe('Threshold, inclusive.');
const oneOrMany = <T extends z.ZodType>(t: T) => z.union([t, z.array(t).min(1)]);
const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

export const GUARD_PARAMS = {
  attempts_at_least: z.object({ count }).describe('Contact attempts for this case (facts.attemptCount) ≥ count.'),
  warning_count_at_least: z.object({ count }).describe('Warnings received for this person (facts.warningCount) ≥ count.'),
  risk_level_is: z.object({ level: oneOrMany(z.enum(RISK_LEVELS)) }).describe('Risk level is one of level.'),
  channel_is: z.object({ channel: oneOrMany(z.enum(CHANNELS)) }).describe('The conversation runs on one of channel.'),
  visits_at_least: z.object({ count }).describe('The current state has been entered (or re-asked) ≥ count times.'),
  low_confidence_at_least: z.object({ count }).describe('Replies understood with low confidence in this conversation ≥ count.'),
  turns_at_least: z.object({ count }).describe('Replies (and silences) in this conversation ≥ count.'),
  slot_filled: z.object({ slot: z.string() }).describe('A slot already has a value.'),
  handoff_made: z.object({ reason: oneOrMany(z.enum(HANDOFF_REASONS)) }).describe('This conversation already handed off for one of these reasons (e.g. already_paid: the person has told us they paid).'),
} as const;
export type GuardName = keyof typeof GUARD_PARAMS;

type GuardImpl = { [K in GuardName]: (p: z.infer<(typeof GUARD_PARAMS)[K]>, i: GuardInput) => boolean };
export const GUARD_IMPL: GuardImpl = {
  attempts_at_least: (p, { ctx }) => ctx.facts.attemptCount >= p.count,
  warning_count_at_least: (p, { ctx }) => ctx.facts.warningCount >= p.count,
  risk_level_is: (p, { ctx }) => asList(p.level).includes(ctx.facts.riskLevel),
  channel_is: (p, { ctx }) => asList(p.channel).includes(ctx.channel),
  visits_at_least: (p, { state }) => (state.visits[state.stateId] ?? 0) >= p.count,
  low_confidence_at_least: (p, { state }) => state.lowConfidenceCount >= p.count,
  turns_at_least: (p, { state }) => state.turns >= p.count,
  slot_filled: (p, { state }) => Boolean(state.slots[p.slot]),
  handoff_made: (p, { state }) => asList(p.reason).some((r) => (state.handoffs ?? []).includes(r)),
};

export const SLOT_SOURCES = ['reply', 'payment'] as const;

export const ACTION_PARAMS = {
  handoff: z
    .object({
      reason: z.enum(HANDOFF_REASONS),
      priority: z.number().int().min(0).max(1000).optional().describe('Default: by reason (already_paid 100, mid_scam 80, …).'),
      note: z.string().optional().describe('Shown to the officer on the desk.'),
    })
    .describe('Put the case in front of a human officer now.'),
  collect_slot: z
    .object({
      slot: z.string().regex(/^[a-z][a-z0-9_]*$/),
      from: z
        .enum(SLOT_SOURCES)
        .optional()
        .describe("'reply' (default): the amount/method/time understood in the reply, else the reply text. 'payment': only what was understood; nothing when nothing was."),
    })
    .describe('Record a detail for the stop-payment request (amount, method, time, account…).'),
  schedule_callback: z.object({ afterMinutes: z.number().int().min(1) }).describe('Contact the person again later.'),
  contact_relative: z.object({}).describe('Start the relative flow for this case.'),
  end: z.object({ outcome: z.enum(OUTCOMES) }).describe('The conversation is over with this outcome.'),
} as const;
export type ActionName = keyof typeof ACTION_PARAMS;

export const GUARD_NAMES = Object.keys(GUARD_PARAMS) as GuardName[];
export const ACTION_NAMES = Object.keys(ACTION_PARAMS) as ActionName[];
