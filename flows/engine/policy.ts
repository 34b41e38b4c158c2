// Triage policy as data (flows/policy.yaml): which flow, which channels in which order, retries,
// when a human reviews regardless, when a visit is proposed, quiet hours.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CompiledFlow } from './compiled';
import { didYouMean } from './suggest';
import type { CheckIssue } from './types';
import { CHANNELS, LOCALES, RISK_LEVELS, SCAM_TYPES, type ChannelName, type Locale, type RiskLevel, type ScamType } from './vocabulary';

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

export const PolicySchema = z
  .object({
    version: z.literal(1),
    flows: z
      .object({
        byScamType: z.partialRecord(z.enum(SCAM_TYPES), flowId),
        byLocale: z.partialRecord(z.enum(LOCALES), z.partialRecord(z.enum(SCAM_TYPES), flowId)).optional().describe('Overrides of byScamType for one locale.'),
        relative: flowId,
        returnContact: flowId,
      })
      .strict(),
    channels: z
      .object({
        order: z.array(z.enum(CHANNELS)).min(1),
        byRisk: z.partialRecord(z.enum(RISK_LEVELS), z.array(z.enum(CHANNELS)).min(1)).optional(),
      })
      .strict(),
    retryMinutes: z.array(z.number().int().min(1)).describe('Delays before each new attempt after an unanswered call.'),
    review: z.array(RuleSchema).describe('A human reviews the case before/alongside outreach when any rule holds.'),
    visit: z.array(RuleSchema).describe('An in-person visit is proposed when any rule holds.'),
    quietHours: z.object({ start: hhmm, end: hhmm, overrideForHighRisk: z.boolean() }).strict().optional(),
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

export function parsePolicy(text: string, file: string): { policy?: Policy; issues: CheckIssue[] } {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    return { issues: [{ severity: 'error', file, rule: 'yaml_syntax', message: `YAML syntax: ${(e as Error).message.split('\n')[0]}`, fix: 'check indentation and quoting' }] };
  }
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
  hasTelegram: boolean;
  hasRelatives: boolean;
}

export interface TriagePlan {
  flowId: string;
  channels: ChannelName[];
  retryMinutes: number[];
  humanReview: boolean;
  reviewReasons: string[];
  proposeVisit: boolean;
  /** Names of the visit rules that held. */
  visitReasons: string[];
  quietHours?: { start: string; end: string; overrideForHighRisk: boolean };
}

export function planTriage(policy: Policy, w: TriageInput): TriagePlan {
  const flowId = policy.flows.byLocale?.[w.locale]?.[w.scamType] ?? policy.flows.byScamType[w.scamType] ?? policy.flows.byScamType.other!;
  const order = policy.channels.byRisk?.[w.riskLevel] ?? policy.channels.order;
  const channels = order.filter((c) => c !== 'telegram' || w.hasTelegram);
  const reviewReasons = policy.review.filter((r) => ruleHolds(r, w)).map((r) => r.reason);
  const visitReasons = policy.visit.filter((r) => ruleHolds(r, w)).map((r) => r.reason);
  const plan: TriagePlan = {
    flowId,
    channels,
    retryMinutes: [...policy.retryMinutes],
    humanReview: reviewReasons.length > 0,
    reviewReasons,
    proposeVisit: visitReasons.length > 0,
    visitReasons,
  };
  if (policy.quietHours) plan.quietHours = { ...policy.quietHours };
  return plan;
}
