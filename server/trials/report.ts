// A trial's report: for each arm, how many of its people were dissuaded, handed off at risk, and victimised
// later, with Wilson intervals; B against A with Newcombe's interval and the two-proportion test; and
// whether a winner is clear. A winner is only called once the stop rule is met (the sample was fixed in
// advance): p-values read while people are still coming in would find differences that are not there.
import type { Kysely } from 'kysely';
import type { Database, ScriptTrialRow } from '../store/schema';
import { countAssigned, listAssignments } from '../store/repositories/trials';
import { compareProportions, wilson, type Proportion, type TwoProportionTest } from '../stats/proportions';
import { stopRuleMet, stopRuleOf } from './assignment';
import type { TrialStopRule } from './schema';

const DISSUADED = ['dissuaded', 'safe_aware'];
const AT_RISK = ['already_paid', 'mid_scam'];
/** "Victimised later": a loss reported within this many days after a warning. */
export const VICTIMISED_WITHIN_DAYS = 30;
const DAY_MS = 86_400_000;

export type Arm = 'A' | 'B';
export const OUTCOMES = ['dissuaded', 'atRiskHandoff', 'victimised'] as const;
export type TrialOutcome = (typeof OUTCOMES)[number];

export interface ArmReport {
  version: number;
  people: number;
  dissuaded: Proportion;
  atRiskHandoff: Proportion;
  victimised: Proportion;
}

export type Verdict =
  | { kind: 'collecting'; assigned: number; people?: number; endsAt?: string }
  | { kind: 'winner'; arm: Arm; version: number; difference: number; p: number }
  | { kind: 'no_clear_winner'; reason: 'not_significant' | 'harm_on_victimisation' | 'empty_arm'; p: number | null };

export interface TrialReport {
  trial: ReturnType<typeof presentTrial>;
  asOf: string;
  arms: Record<Arm, ArmReport>;
  /** B − A for each outcome. */
  comparison: Record<TrialOutcome, TwoProportionTest>;
  verdict: Verdict;
}

export function presentTrial(t: ScriptTrialRow, assigned: { A: number; B: number }) {
  return {
    id: t.id,
    flowId: t.flow_id,
    versionA: t.version_a,
    versionB: t.version_b,
    splitB: t.split_b,
    stopRule: stopRuleOf(t) as TrialStopRule,
    alpha: t.alpha,
    status: t.status,
    note: t.note,
    startedBy: t.started_by,
    startedAt: t.started_at,
    closedAt: t.closed_at,
    stoppedBy: t.stopped_by,
    stoppedAt: t.stopped_at,
    decision: t.decision,
    publishedVersion: t.published_version,
    assigned,
  };
}

export async function trialReport(db: Kysely<Database>, t: ScriptTrialRow, asOf = Date.now()): Promise<TrialReport> {
  const assignments = await listAssignments(db, t.id);
  const byCase = new Map(assignments.map((a) => [a.case_id, { arm: a.arm, dissuaded: false, atRisk: false, victimised: false }]));
  const ids = [...byCase.keys()];
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    const [cases, handoffs, losses] = await Promise.all([
      db.selectFrom('cases').select(['id', 'outcome']).where('id', 'in', slice).execute(),
      db.selectFrom('handoffs').select(['case_id', 'reason', 'outcome']).where('case_id', 'in', slice).execute(),
      db.selectFrom('fraud_reports').select(['case_id', 'occurred_at', 'warning_at']).where('case_id', 'in', slice).where('warning_at', 'is not', null).execute(),
    ]);
    for (const c of cases) if (c.outcome && DISSUADED.includes(c.outcome)) byCase.get(c.id)!.dissuaded = true;
    for (const h of handoffs) {
      const f = byCase.get(h.case_id)!;
      if (h.outcome && DISSUADED.includes(h.outcome)) f.dissuaded = true;
      if (AT_RISK.includes(h.reason)) f.atRisk = true;
    }
    for (const l of losses) if (Date.parse(l.occurred_at) - Date.parse(l.warning_at!) <= VICTIMISED_WITHIN_DAYS * DAY_MS) byCase.get(l.case_id!)!.victimised = true;
  }
  const people = [...byCase.values()];
  const arm = (a: Arm): ArmReport => {
    const mine = people.filter((p) => p.arm === a);
    const prop = (pick: (p: (typeof mine)[number]) => boolean) => wilson(mine.filter(pick).length, mine.length, t.alpha);
    return { version: a === 'A' ? t.version_a : t.version_b, people: mine.length, dissuaded: prop((p) => p.dissuaded), atRiskHandoff: prop((p) => p.atRisk), victimised: prop((p) => p.victimised) };
  };
  const arms = { A: arm('A'), B: arm('B') };
  const comparison = Object.fromEntries(OUTCOMES.map((o) => [o, compareProportions(arms.A[o], arms.B[o], t.alpha)])) as Record<TrialOutcome, TwoProportionTest>;
  const assigned = await countAssigned(db, t.id);
  return { trial: presentTrial(t, assigned), asOf: new Date(asOf).toISOString(), arms, comparison, verdict: verdictOf(t, arms, comparison, asOf) };
}

function verdictOf(t: ScriptTrialRow, arms: Record<Arm, ArmReport>, c: Record<TrialOutcome, TwoProportionTest>, asOf: number): Verdict {
  const rule = stopRuleOf(t);
  const assigned = arms.A.people + arms.B.people;
  if (t.status === 'running' && !stopRuleMet(rule, assigned, asOf)) return { kind: 'collecting', assigned, people: rule.people, endsAt: rule.endsAt };
  if (!arms.A.people || !arms.B.people) return { kind: 'no_clear_winner', reason: 'empty_arm', p: null };
  const d = c.dissuaded;
  if (d.p === null || d.p >= t.alpha || !d.difference) return { kind: 'no_clear_winner', reason: 'not_significant', p: d.p };
  const better: Arm = d.difference > 0 ? 'B' : 'A';
  // A script that dissuades more but whose people lose money more often is no winner.
  const v = c.victimised;
  const worseOnVictims = v.p !== null && v.p < t.alpha && !!v.difference && (better === 'B' ? v.difference > 0 : v.difference < 0);
  if (worseOnVictims) return { kind: 'no_clear_winner', reason: 'harm_on_victimisation', p: d.p };
  return { kind: 'winner', arm: better, version: arms[better].version, difference: d.difference, p: d.p };
}
