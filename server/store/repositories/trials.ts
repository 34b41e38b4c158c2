// Script trials and the cases pinned to their arm.
import type { Db } from './cases';
import type { ScriptTrialRow, TrialAssignmentRow } from '../schema';
import { nowIso } from '../ids';

export const getTrial = (db: Db, id: string): Promise<ScriptTrialRow | undefined> => db.selectFrom('script_trials').selectAll().where('id', '=', id).executeTakeFirst();

/** Transactions that remember which flows had no running trial (see rememberFlowsWithoutTrial). */
const withoutTrial = new WeakMap<object, Set<string>>();

/**
 * From now on this transaction remembers the flows it found without a running trial, so a group of warnings
 * on the same flows asks once per flow instead of once per warning. A trial started by another transaction
 * meanwhile counts from the next group on, as if it had started a few milliseconds later.
 */
export function rememberFlowsWithoutTrial(trx: Db): void {
  withoutTrial.set(trx, new Set());
}

export async function runningTrialForFlow(db: Db, flowId: string): Promise<ScriptTrialRow | undefined> {
  const none = withoutTrial.get(db);
  if (none?.has(flowId)) return undefined;
  const trial = await db.selectFrom('script_trials').selectAll().where('flow_id', '=', flowId).where('status', '=', 'running').executeTakeFirst();
  if (!trial) none?.add(flowId);
  return trial;
}

export function listTrials(db: Db, flowId?: string): Promise<ScriptTrialRow[]> {
  let q = db.selectFrom('script_trials').selectAll();
  if (flowId) q = q.where('flow_id', '=', flowId);
  return q.orderBy('started_at', 'desc').limit(200).execute();
}

export async function insertTrial(db: Db, row: ScriptTrialRow): Promise<void> {
  await db.insertInto('script_trials').values(row).execute();
}

/** Stops taking new people; false when it was no longer running. */
export async function closeTrial(db: Db, id: string): Promise<boolean> {
  const r = await db.updateTable('script_trials').set({ status: 'closed', closed_at: nowIso() }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function markTrialStopped(db: Db, id: string, patch: Pick<ScriptTrialRow, 'stopped_by' | 'decision' | 'published_version'>): Promise<boolean> {
  const now = nowIso();
  const r = await db
    .updateTable('script_trials')
    .set({ ...patch, status: 'stopped', stopped_at: now })
    .where('id', '=', id)
    .where('status', '<>', 'stopped')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) await db.updateTable('script_trials').set({ closed_at: now }).where('id', '=', id).where('closed_at', 'is', null).execute();
  return Number(r.numUpdatedRows) > 0;
}

export const getAssignment = (db: Db, caseId: string): Promise<TrialAssignmentRow | undefined> =>
  db.selectFrom('trial_assignments').selectAll().where('case_id', '=', caseId).executeTakeFirst();

/** Pins the case to an arm; if another process pinned it first, theirs stands and is returned. */
export async function assignOnce(db: Db, row: TrialAssignmentRow): Promise<TrialAssignmentRow> {
  await db.insertInto('trial_assignments').values(row).onConflict((oc) => oc.column('case_id').doNothing()).execute();
  return (await getAssignment(db, row.case_id))!;
}

export async function countAssigned(db: Db, trialId: string): Promise<{ A: number; B: number }> {
  const rows = await db.selectFrom('trial_assignments').select(['arm', (eb) => eb.fn.countAll().as('n')]).where('trial_id', '=', trialId).groupBy('arm').execute();
  const out = { A: 0, B: 0 };
  for (const r of rows) out[r.arm] = Number(r.n);
  return out;
}

export const listAssignments = (db: Db, trialId: string): Promise<TrialAssignmentRow[]> =>
  db.selectFrom('trial_assignments').selectAll().where('trial_id', '=', trialId).execute();
