// What a manager sends to start and stop a script trial.
import { z } from 'zod';

const flowId = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be a flow id (lower-case letters, digits, _)');
const version = z.number().int().min(1);

export const stopRuleSchema = z
  .object({
    /** The trial stops taking new people once this many have been assigned (both arms together). */
    people: z.number().int().min(10, 'at least 10: fewer people cannot show a difference').max(1_000_000).optional(),
    /** …or at this moment, whichever comes first. */
    endsAt: z.iso.datetime({ offset: true, message: 'must be an ISO-8601 time with its offset' }).optional(),
  })
  .strict()
  .refine((r) => r.people !== undefined || r.endsAt !== undefined, 'give people (a sample size) or endsAt (a time), or both');
export type TrialStopRule = z.infer<typeof stopRuleSchema>;

export const startTrialSchema = z
  .object({
    flowId,
    versionA: version,
    versionB: version,
    /** Share of new conversations that start on B. */
    splitB: z.number().min(0.05, 'at least 0.05').max(0.95, 'at most 0.95').default(0.5),
    stopRule: stopRuleSchema,
    /** Significance level of the comparison: a winner is clear when p < alpha. */
    alpha: z.number().min(0.001).max(0.2).default(0.05),
    note: z.string().trim().max(500).optional(),
  })
  .strict()
  .refine((t) => t.versionA !== t.versionB, { message: 'must differ from versionA', path: ['versionB'] });
export type StartTrialInput = z.infer<typeof startTrialSchema>;

export const stopTrialSchema = z
  .object({
    /** publish_winner: only when the report says a winner is clear; keep_current leaves the published version as it is. */
    decision: z.enum(['publish_winner', 'keep_current']),
  })
  .strict();
export type StopTrialInput = z.infer<typeof stopTrialSchema>;
