// Triage and escalation policy as data (flows/policy.yaml): which flow, each risk tier's contact ladder
// with its deadlines, when a human reviews regardless, when a visit is requested, quiet hours, follow-up.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CompiledFlow } from './compiled';
import { didYouMean } from './suggest';
import type { CheckIssue } from './types';
import { LOCALES, OUTCOMES, RISK_LEVELS, SCAM_TYPES, type Locale, type RiskLevel, type ScamType } from './vocabulary';

export const POLICY_FILE = path.resolve(__dirname, '..', 'policy.yaml');

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');
const flowId = z.string().min(1);

const RuleSchema = z
  .object({
    reason: z.string().regex(/^[a-z][a-z0-9_]*$/),
    riskLevel: z.union([z.enum(RISK_LEVELS), z.array(z.enum(RISK_LEVELS))]).optional(),
    warningCountAtLeast: z.number().int().min(1).optional(),
    amountOver: z.number().min(0).optional(),
  })
  .strict()
  .describe('Holds when every condition given holds.');
export type PolicyRule = z.infer<typeof RuleSchema>;

/** How a rung names a channel: `text` is the written warning, on Telegram when the case has a chat, else SMS. */
export const CONTACT_CHANNELS = ['voice', 'sms', 'telegram', 'text'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];

/** What quiet hours hold for a risk tier: nothing (the centre works around the clock), calls, or calls and texts. */
export const QUIET_HOLDS = ['nothing', 'calls', 'all'] as const;
export type QuietHold = (typeof QUIET_HOLDS)[number];

const RungSchema = z
  .object({
    contact: z.array(z.enum(CONTACT_CHANNELS)).min(1).optional().describe('Contacts made together when the rung starts (a channel the case cannot use is skipped).'),
    relatives: z.literal(true).optional().describe('Ask the next relative to have the person call us (minimal disclosure: the relative flow).'),
    deadlineMinutes: z.number().int().min(1).describe('When nobody is reached by then, the next rung starts. It starts at once when every contact of the rung failed.'),
  })
  .strict()
  .refine((r) => (r.contact ? 1 : 0) + (r.relatives ? 1 : 0) === 1, 'a rung either contacts the person (contact: [...]) or asks a relative (relatives: true)');
export type Rung = z.infer<typeof RungSchema>;

const TierSchema = z
  .object({
    quietHours: z.enum(QUIET_HOLDS).describe('What the quiet-hours window holds for this tier; while it holds anything the ladder does not climb.'),
    ladder: z.array(RungSchema).min(1),
    unreachable: z
      .object({
        priority: z.number().int().min(0).max(100).optional().describe('Handoff priority when every rung failed (default: by reason and risk).'),
        visit: z.boolean().describe('Request a police-station visit when every rung failed.'),
      })
      .strict()
      .describe('After the last rung: a human, and maybe a visit.'),
  })
  .strict();
export type EscalationTier = z.infer<typeof TierSchema>;

export const PolicySchema = z
  .object({
    version: z.literal(1),
    flows: z
      .object({
        byScamType: z.partialRecord(z.enum(SCAM_TYPES), flowId),
        byLocale: z.partialRecord(z.enum(LOCALES), z.partialRecord(z.enum(SCAM_TYPES), flowId)).optional().describe('Overrides of byScamType for one locale.'),
        relative: flowId,
        returnContact: flowId,
        followUp: flowId.describe('The check-in after a case closed, and the script for a citizen who writes or calls after close.'),
      })
      .strict(),
    escalation: z.object({ high: TierSchema, medium: TierSchema, low: TierSchema }).strict().describe('The contact ladder of each risk tier.'),
    review: z.array(RuleSchema).describe('A human reviews the case alongside the automatic outreach when any rule holds (checked on every warning).'),
    visit: z.array(RuleSchema).describe('A police-station visit is requested when any rule holds (checked on every warning).'),
    quietHours: z.object({ start: hhmm, end: hhmm }).strict().optional().describe("The centre's night, in its local time; each tier says what it holds."),
    callbacks: z.object({ max: z.number().int().min(0) }).strict().describe('Call-backs a script may schedule (busy, silent) before a human takes over.'),
    followUp: z
      .object({ afterDays: z.number().positive(), outcomes: z.array(z.enum(OUTCOMES)).min(1) })
      .strict()
      .optional()
      .describe('A check-in message this many days after a case closed with one of these outcomes.'),
    recording: z
      .object({
        enabled: z.boolean(),
        notice: z.object({ zh: z.string().trim().min(1).max(300), en: z.string().trim().min(1).max(300) }).strict(),
      })
      .strict()
      .optional()
      .describe('Warning calls recorded by Twilio for review, with a spoken notice first. Off when absent.'),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

export class PolicyError extends Error {
  constructor(
    message: string,
    readonly issues: CheckIssue[],
  ) {
    super(message);
    this.name = 'PolicyError';
  }
}

const LEGACY_KEYS = ['channels', 'retryMinutes'];

export function parsePolicy(text: string, file: string): { policy?: Policy; issues: CheckIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { issues: [{ severity: 'error', file, rule: 'yaml_syntax', message: `YAML syntax: ${(e as Error).message.split('\n')[0]}`, fix: 'check indentation and quoting' }] };
  }
  const legacy = raw && typeof raw === 'object' ? LEGACY_KEYS.filter((k) => k in (raw as object)) : [];
  if (legacy.length)
    return {
      issues: legacy.map((k) => ({
        severity: 'error' as const,
        file,
        rule: 'policy_schema',
        message: `${k}: no longer read; each risk tier's contact ladder is under escalation`,
        fix: 'replace channels/retryMinutes with escalation.<tier>.ladder (see the annotated flows/policy.yaml)',
      })),
    };
  const r = PolicySchema.safeParse(raw);
  if (r.success) return { policy: r.data, issues: [] };
  return {
    issues: r.error.issues.map((i) => ({
      severity: 'error' as const,
      file,
      rule: 'policy_schema',
      message: `${i.path.join('.') || '(top level)'}: ${i.message}`,
      fix: 'see the annotated flows/policy.yaml for the allowed fields',
    })),
  };
}

/** Reads and validates the policy; throws PolicyError listing every problem. */
export function loadPolicy(file: string = POLICY_FILE): Policy {
  const r = parsePolicy(fs.readFileSync(file, 'utf8'), file);
  if (!r.policy) throw new PolicyError(`invalid policy ${file}:\n${r.issues.map((i) => `  ${i.message} (${i.fix})`).join('\n')}`, r.issues);
  return r.policy;
}

export function checkPolicy(policy: Policy, flows: Map<string, CompiledFlow>, file: string): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const known = [...flows.keys()];
  const ref = (id: string, at: string) => {
    if (flows.has(id)) return;
    issues.push({ severity: 'error', file, rule: 'policy_unknown_flow', message: `${at} names flow '${id}', which does not exist (or failed its checks)`, fix: `use one of: ${known.join(', ')}${didYouMean(id, known)}` });
  };
  for (const t of SCAM_TYPES) {
    const id = policy.flows.byScamType[t];
    if (!id) issues.push({ severity: 'error', file, rule: 'policy_unmapped_scam_type', message: `scam type '${t}' has no flow in flows.byScamType`, fix: `add ${t}: <flow id> (use the fallback flow if there is no specific script)` });
    else ref(id, `flows.byScamType.${t}`);
  }
  for (const [locale, map] of Object.entries(policy.flows.byLocale ?? {})) {
    for (const [t, id] of Object.entries(map ?? {})) if (id) ref(id, `flows.byLocale.${locale}.${t}`);
  }
  for (const locale of LOCALES) {
    for (const t of SCAM_TYPES) {
      const id = policy.flows.byLocale?.[locale]?.[t] ?? policy.flows.byScamType[t];
      const f = id ? flows.get(id) : undefined;
      if (f && !(f.def.locales as string[]).includes(locale)) {
        issues.push({ severity: 'error', file, rule: 'policy_flow_locale', message: `scam type '${t}' in locale '${locale}' goes to flow '${id}', which has no '${locale}' text`, fix: `add '${locale}' to the flow's locales (with its texts) or map flows.byLocale.${locale}.${t} to a flow that has it` });
      }
    }
  }
  ref(policy.flows.relative, 'flows.relative');
  ref(policy.flows.returnContact, 'flows.returnContact');
  ref(policy.flows.followUp, 'flows.followUp');
  return issues;
}

const ruleHolds = (r: PolicyRule, w: { riskLevel: RiskLevel; warningCount: number; amount?: number }) =>
  (r.riskLevel === undefined || (Array.isArray(r.riskLevel) ? r.riskLevel : [r.riskLevel]).includes(w.riskLevel)) &&
  (r.warningCountAtLeast === undefined || w.warningCount >= r.warningCountAtLeast) &&
  (r.amountOver === undefined || (w.amount !== undefined && w.amount > r.amountOver));

export interface TriageInput {
  scamType: ScamType;
  locale: Locale;
  riskLevel: RiskLevel;
  warningCount: number;
  amount?: number;
}

export interface TriagePlan {
  flowId: string;
  /** The escalation tier (its contact ladder) the case is worked on. */
  tier: RiskLevel;
  humanReview: boolean;
  reviewReasons: string[];
  proposeVisit: boolean;
  /** Names of the visit rules that held. */
  visitReasons: string[];
}

/** The script and the reviews a warning calls for. Run again on every warning: the facts only grow. */
export function planTriage(policy: Policy, w: TriageInput): TriagePlan {
  const flowId = policy.flows.byLocale?.[w.locale]?.[w.scamType] ?? policy.flows.byScamType[w.scamType] ?? policy.flows.byScamType.other!;
  const reviewReasons = policy.review.filter((r) => ruleHolds(r, w)).map((r) => r.reason);
  const visitReasons = policy.visit.filter((r) => ruleHolds(r, w)).map((r) => r.reason);
  return { flowId, tier: w.riskLevel, humanReview: reviewReasons.length > 0, reviewReasons, proposeVisit: visitReasons.length > 0, visitReasons };
}

/** Minutes-of-day for "HH:MM". */
const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * When `at` falls inside the quiet-hours window, the moment the window ends (UTC ISO); otherwise undefined.
 * The window is in the centre's local time, given as a UTC offset in minutes (China: +480).
 */
export function quietWindowEnd(window: Policy['quietHours'], at: Date, utcOffsetMinutes: number): string | undefined {
  if (!window) return undefined;
  const local = new Date(at.getTime() + utcOffsetMinutes * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const inside = start > end ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const wait = (end - minute + 1440) % 1440;
  const endAt = new Date(at.getTime() + wait * 60_000);
  endAt.setUTCSeconds(0, 0);
  return endAt.toISOString();
}
