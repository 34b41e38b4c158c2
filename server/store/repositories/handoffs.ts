import type { Db } from './cases';
import type { HandoffRow } from '../schema';
import { newId, nowIso } from '../ids';

export const getHandoff = (db: Db, id: string): Promise<HandoffRow | undefined> =>
  db.selectFrom('handoffs').selectAll().where('id', '=', id).executeTakeFirst();

export const activeHandoffForCase = (db: Db, caseId: string): Promise<HandoffRow | undefined> =>
  db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).where('status', '<>', 'resolved').executeTakeFirst();

export const listHandoffsForCase = (db: Db, caseId: string): Promise<HandoffRow[]> =>
  db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

/**
 * Opens a handoff for the case, or — when one is already waiting — raises its priority and reason
 * if the new one is more urgent. Returns the handoff and whether anything changed.
 */
export async function openOrRaiseHandoff(
  db: Db,
  h: { caseId: string; reason: string; priority: number; note?: string; slaDueAt: string },
): Promise<{ handoff: HandoffRow; change: 'opened' | 'raised' | 'unchanged' }> {
  const existing = await activeHandoffForCase(db, h.caseId);
  if (existing) {
    if (h.priority > existing.priority) {
      await db
        .updateTable('handoffs')
        .set({ priority: h.priority, reason: h.reason, sla_due_at: h.slaDueAt < existing.sla_due_at ? h.slaDueAt : existing.sla_due_at, note: h.note ?? existing.note })
        .where('id', '=', existing.id)
        .execute();
      return { handoff: (await getHandoff(db, existing.id))!, change: 'raised' };
    }
    return { handoff: existing, change: 'unchanged' };
  }
  const row: HandoffRow = {
    id: newId(),
    case_id: h.caseId,
    reason: h.reason,
    priority: h.priority,
    status: 'open',
    note: h.note ?? null,
    claimed_by: null,
    claimed_at: null,
    resolved_at: null,
    outcome: null,
    outcome_detail: null,
    sla_due_at: h.slaDueAt,
    escalated_at: null,
    created_at: nowIso(),
  };
  try {
    await db.insertInto('handoffs').values(row).execute();
  } catch (err) {
    // Another process opened one for this case at the same moment (unique partial index): raise it instead.
    const raced = await activeHandoffForCase(db, h.caseId);
    if (!raced) throw err;
    return openOrRaiseHandoff(db, h);
  }
  return { handoff: row, change: 'opened' };
}

/** Adds a line to a handoff's note (e.g. a station visit requested while a review waits). */
export async function appendHandoffNote(db: Db, id: string, line: string): Promise<void> {
  const h = await getHandoff(db, id);
  if (!h || (h.note ?? '').includes(line)) return;
  await db.updateTable('handoffs').set({ note: h.note ? `${h.note}; ${line}` : line }).where('id', '=', id).execute();
}

export interface HandoffListItem extends HandoffRow {
  phone: string;
  name: string | null;
  case_ref: string;
  scam_type: string;
  risk_level: string;
  warning_count: number;
  locale: string;
}

/** The desk queue: most urgent first, older first within a priority. */
export function listHandoffs(db: Db, status: 'open' | 'claimed' | 'resolved' | 'active'): Promise<HandoffListItem[]> {
  let q = db
    .selectFrom('handoffs')
    .innerJoin('cases', 'cases.id', 'handoffs.case_id')
    .selectAll('handoffs')
    .select(['cases.phone', 'cases.name', 'cases.case_ref', 'cases.scam_type', 'cases.risk_level', 'cases.warning_count', 'cases.locale']);
  q = status === 'active' ? q.where('handoffs.status', '<>', 'resolved') : q.where('handoffs.status', '=', status);
  return q.orderBy('handoffs.priority', 'desc').orderBy('handoffs.created_at', 'asc').limit(500).execute();
}

export async function claimHandoff(db: Db, id: string, user: string): Promise<boolean> {
  const r = await db
    .updateTable('handoffs')
    .set({ status: 'claimed', claimed_by: user, claimed_at: nowIso() })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function releaseHandoff(db: Db, id: string, user: string): Promise<boolean> {
  const r = await db
    .updateTable('handoffs')
    .set({ status: 'open', claimed_by: null, claimed_at: null })
    .where('id', '=', id)
    .where('status', '=', 'claimed')
    .where('claimed_by', '=', user)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function resolveHandoff(db: Db, id: string, outcome: string, detail: unknown, note: string | null): Promise<boolean> {
  const r = await db
    .updateTable('handoffs')
    .set({ status: 'resolved', resolved_at: nowIso(), outcome, outcome_detail: JSON.stringify(detail ?? null), note })
    .where('id', '=', id)
    .where('status', '<>', 'resolved')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Unclaimed handoffs past their SLA that nobody has escalated yet, oldest deadline first. */
export const overdueUnclaimedHandoffs = (db: Db, now: string, limit = 200): Promise<HandoffRow[]> =>
  db
    .selectFrom('handoffs')
    .selectAll()
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .where('sla_due_at', '<=', now)
    .orderBy('sla_due_at')
    .limit(limit)
    .execute();

/** Flags an unclaimed handoff as escalated; false when someone claimed or escalated it meanwhile. */
export async function markHandoffEscalated(db: Db, id: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('handoffs')
    .set({ escalated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** A supervisor takes a claimed handoff back into the queue, whoever holds it. */
export async function forceReleaseHandoff(db: Db, id: string): Promise<boolean> {
  const r = await db.updateTable('handoffs').set({ status: 'open', claimed_by: null, claimed_at: null }).where('id', '=', id).where('status', '=', 'claimed').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Handoffs resolved with an outcome, newest first (the stop-payment export). */
export function listResolvedWithOutcome(db: Db, outcome: string, since?: string): Promise<HandoffListItem[]> {
  let q = db
    .selectFrom('handoffs')
    .innerJoin('cases', 'cases.id', 'handoffs.case_id')
    .selectAll('handoffs')
    .select(['cases.phone', 'cases.name', 'cases.case_ref', 'cases.scam_type', 'cases.risk_level', 'cases.warning_count', 'cases.locale'])
    .where('handoffs.status', '=', 'resolved')
    .where('handoffs.outcome', '=', outcome);
  if (since) q = q.where('handoffs.resolved_at', '>=', since);
  return q.orderBy('handoffs.resolved_at', 'desc').limit(5000).execute();
}
