// Visit tasks: a police station sent to the door by the second review. Each task carries what the officers
// need at the door — the case summary, the address and relatives as the warning gave them, the transcript —
// and a deadline by risk tier (org/units.yaml). The station accepts it, marks it on the way and reports the
// result; the result goes back into the case's life as a lifecycle event.
import { z } from 'zod';
import type { Services } from '../services';
import type { CaseRow, VisitTaskRow } from '../store/schema';
import type { Db } from '../store/repositories/cases';
import { findOpenCaseByPhone, getCase, updateCase } from '../store/repositories/cases';
import { listMessagesForCase } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { activeHandoffForCase, markHandoffEscalated } from '../store/repositories/handoffs';
import { fromJson, newId, nowIso } from '../store/ids';
import { ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { PendingEvents } from '../events';
import { advanceCase, lockCase } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';
import { dispatch } from '../cases/outbox';
import type { Outcome } from '../../flows/engine/vocabulary';
import type { VisitReport } from '../cases/lifecycle';
import { vocabularyLabel } from '../../web/i18n';
import type { Viewer } from '../people/visibility';
import { homeUnitId, seesUnit, unitRoleOf } from './people';

export const VISIT_RESULTS = ['met_dissuaded', 'not_home', 'refused', 'already_paid', 'wrong_person'] as const;
export type VisitResult = (typeof VISIT_RESULTS)[number];

/** A station's result as the case's life reads it. */
export const VISIT_EVENT: Record<VisitResult, { result: VisitReport; outcome?: Outcome }> = {
  met_dissuaded: { result: 'met', outcome: 'dissuaded' },
  wrong_person: { result: 'met', outcome: 'wrong_person' },
  not_home: { result: 'not_found' },
  refused: { result: 'refused' },
  already_paid: { result: 'paid' },
};

export const reportSchema = z
  .object({
    result: z.enum(VISIT_RESULTS, { message: `must be one of ${VISIT_RESULTS.join(', ')}` }),
    note: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((r) => r.result === 'met_dissuaded' || r.result === 'wrong_person' || (r.note ?? '').length > 0, { path: ['note'], message: 'required: say what happened at the door' });
export type ReportInput = z.infer<typeof reportSchema>;

const money = (n: number) => `¥${n.toLocaleString('en-US')}`;

/** One paragraph for the officers at the door, in Chinese (the station's language). */
export function visitSummary(c: CaseRow, reason: string, lastReply: string | null): string {
  const parts = [
    vocabularyLabel('scamType', c.scam_type, 'zh'),
    vocabularyLabel('risk', c.risk_level, 'zh'),
    `预警 ${c.warning_count} 次`,
    ...(c.amount ? [`涉及金额 ${money(c.amount)}`] : []),
    `研判意见：${reason}`,
    ...(lastReply ? [`市民最近回复：“${lastReply.slice(0, 120)}”`] : []),
  ];
  return parts.join('；');
}

/**
 * Writes the task in the caller's transaction (the outbox carries out the lifecycle's request_visit): the
 * case moves to the station's queue, and an older open task for the case is cancelled.
 */
export async function createVisitTask(trx: Db, s: Services, c: CaseRow, t: { stationId: string; deadlineAt: string; reason: string; requestedBy: string; handoffId: string | null }): Promise<VisitTaskRow> {
  const now = nowIso();
  const open = await trx.selectFrom('visit_tasks').select(['id']).where('case_id', '=', c.id).where('status', 'not in', ['reported', 'cancelled']).execute();
  if (open.length) await trx.updateTable('visit_tasks').set({ status: 'cancelled', updated_at: now }).where('id', 'in', open.map((o) => o.id)).execute();
  const last = (await listMessagesForCase(trx, c.id)).filter((m) => m.direction === 'in').at(-1);
  const row: VisitTaskRow = {
    id: newId(),
    case_id: c.id,
    unit_id: t.stationId,
    handoff_id: t.handoffId,
    status: 'assigned',
    risk_level: c.risk_level,
    deadline_at: t.deadlineAt,
    summary: visitSummary(c, t.reason, last?.body ?? null),
    address: c.address,
    relatives: c.relatives,
    reason: t.reason,
    requested_by: t.requestedBy,
    accepted_by: null,
    accepted_at: null,
    on_the_way_at: null,
    reported_by: null,
    reported_at: null,
    result: null,
    result_note: null,
    escalated_at: null,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('visit_tasks').values(row).execute();
  const dir = s.org.units;
  if (c.unit_id !== t.stationId && dir.contains(dir.byId(c.unit_id)?.id ?? dir.root.id, t.stationId)) {
    await updateCase(trx, c.id, { unit_id: t.stationId });
    await audit(trx, { caseId: c.id, actor: t.requestedBy, action: 'case_moved', detail: { from: (dir.byId(c.unit_id) ?? dir.root).code, to: dir.byId(t.stationId)?.code, because: 'visit' } });
  }
  await audit(trx, { caseId: c.id, actor: t.requestedBy, action: 'visit_requested', detail: { taskId: row.id, station: dir.byId(t.stationId)?.code, deadlineAt: t.deadlineAt, reason: t.reason, cancelled: open.map((o) => o.id) } });
  return row;
}

/**
 * The lifecycle's visit deadline passed with no report: the task is flagged, and the handoff the lifecycle
 * just opened is escalated at once, so the district's supervisors (who see their stations' cases) are
 * alerted now instead of after its SLA. The case stays with the station, whose visit figures count the
 * task, and the station may still report late.
 */
export async function escalateOpenVisit(trx: Db, s: Services, c: CaseRow, actor: string): Promise<{ task: VisitTaskRow; escalatedHandoffId: string | null } | undefined> {
  const task = await trx.selectFrom('visit_tasks').selectAll().where('case_id', '=', c.id).where('status', 'not in', ['reported', 'cancelled']).executeTakeFirst();
  if (!task || task.escalated_at) return task ? { task, escalatedHandoffId: null } : undefined;
  const now = nowIso();
  await trx.updateTable('visit_tasks').set({ escalated_at: now, updated_at: now }).where('id', '=', task.id).execute();
  const dir = s.org.units;
  const district = dir.districtOf(task.unit_id);
  const handoff = await activeHandoffForCase(trx, c.id);
  const escalated = handoff?.status === 'open' && (await markHandoffEscalated(trx, handoff.id, now));
  await audit(trx, {
    caseId: c.id,
    actor,
    action: 'visit_overdue',
    detail: { taskId: task.id, station: dir.byId(task.unit_id)?.code, district: district?.code ?? null, deadlineAt: task.deadline_at, status: task.status, handoffId: escalated ? handoff.id : null },
  });
  return { task: { ...task, escalated_at: now }, escalatedHandoffId: escalated ? handoff.id : null };
}

export const getVisitTask = (db: Db, id: string) => db.selectFrom('visit_tasks').selectAll().where('id', '=', id).executeTakeFirst();

/** Who may work a task: the station's officers, and the desk's people above the station (its district, the city). */
function mayWork(s: Services, v: Viewer, task: VisitTaskRow): boolean {
  const dir = s.org.units;
  if (unitRoleOf(v) === 'station_officer') return homeUnitId(dir, v) === task.unit_id;
  return seesUnit(dir, v, task.unit_id);
}

/** The task if this viewer may work it: 404 when there is none, 403 when it is another station's. */
export async function loadTask(s: Services, v: Viewer, id: string): Promise<VisitTaskRow> {
  const task = await getVisitTask(s.store.db, id);
  if (!task) throw new NotFoundError(`visit task ${id} not found`);
  if (!mayWork(s, v, task)) throw new ForbiddenError(`this visit task belongs to ${s.org.units.byId(task.unit_id)?.name.zh ?? 'another station'}`);
  return task;
}

/** The tasks a viewer sees: their station's (station officers), or every station under their unit. */
export async function listVisitTasks(s: Services, v: Viewer, opts: { open?: boolean } = {}): Promise<VisitTaskRow[]> {
  const dir = s.org.units;
  const home = homeUnitId(dir, v);
  const units = unitRoleOf(v) === 'station_officer' ? [home] : [...dir.subtree(home)];
  let q = s.store.db.selectFrom('visit_tasks').selectAll().where('unit_id', 'in', units);
  if (opts.open !== false) q = q.where('status', 'not in', ['reported', 'cancelled']);
  return q.orderBy('deadline_at').limit(500).execute();
}

const NEXT: Record<'accept' | 'on_the_way', { from: VisitTaskRow['status'][]; to: VisitTaskRow['status'] }> = {
  accept: { from: ['assigned'], to: 'accepted' },
  on_the_way: { from: ['assigned', 'accepted'], to: 'on_the_way' },
};

/** The station takes the task, then sets out. */
export async function advanceVisit(s: Services, v: Viewer, id: string, step: 'accept' | 'on_the_way'): Promise<VisitTaskRow> {
  const task = await loadTask(s, v, id);
  const { from, to } = NEXT[step];
  if (task.status === to) return task;
  if (!from.includes(task.status)) throw new ConflictError(`this visit is ${task.status}: it cannot be marked ${to}`);
  const now = nowIso();
  const set = step === 'accept' ? { status: to, accepted_by: v.id, accepted_at: now, updated_at: now } : { status: to, on_the_way_at: now, accepted_by: task.accepted_by ?? v.id, accepted_at: task.accepted_at ?? now, updated_at: now };
  const r = await s.store.db.updateTable('visit_tasks').set(set).where('id', '=', id).where('status', '=', task.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new ConflictError('the task changed meanwhile: reload and try again');
  await audit(s.store.db, { caseId: task.case_id, actor: v.id, action: step === 'accept' ? 'visit_accepted' : 'visit_on_the_way', detail: { taskId: id, station: s.org.units.byId(task.unit_id)?.code } });
  s.events.publish({ type: 'org', change: 'visit', caseId: task.case_id, taskId: id });
  return (await getVisitTask(s.store.db, id))!;
}

/** The station reports what happened at the door; the case's life takes it from there. */
export async function reportVisit(s: Services, v: Viewer, id: string, input: ReportInput): Promise<VisitTaskRow> {
  const task = await loadTask(s, v, id);
  if (task.status === 'reported') throw new ConflictError(`this visit was already reported (${task.result})`);
  if (task.status === 'cancelled') throw new ConflictError('this visit was cancelled: a newer one replaced it');
  const pending = new PendingEvents();
  const now = nowIso();
  const done = await s.store.db.transaction().execute(async (trx) => {
    const own = await lockCase(trx, s, task.case_id);
    if (!own) throw new NotFoundError(`case ${task.case_id} not found`);
    // Closed meanwhile, and the person has a newer open case (one open case per phone): that one hears it.
    const newer = own.status === 'closed' ? await findOpenCaseByPhone(trx, own.phone) : undefined;
    const c = (newer && (await lockCase(trx, s, newer.id))) || own;
    const r = await trx
      .updateTable('visit_tasks')
      .set({ status: 'reported', result: input.result, result_note: input.note ?? null, reported_by: v.id, reported_at: now, accepted_by: task.accepted_by ?? v.id, accepted_at: task.accepted_at ?? now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', task.status)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) return null;
    await audit(trx, { caseId: c.id, actor: v.id, action: 'visit_reported', detail: { taskId: id, result: input.result, note: input.note ?? null, withinDeadline: now <= task.deadline_at, ...(c.id !== own.id ? { taskCaseId: own.id } : {}) } });
    return advanceCase(trx, s, c, { type: 'visit_reported', ...VISIT_EVENT[input.result], ...(input.note ? { note: input.note } : {}) }, pending, conversationPort, v.id);
  });
  if (!done) throw new ConflictError('the task changed meanwhile: reload and try again');
  pending.flushTo(s.events);
  await dispatch(s, done);
  s.events.publish({ type: 'org', change: 'visit', caseId: task.case_id, taskId: id });
  return (await getVisitTask(s.store.db, id))!;
}

/** What the station page shows: everything needed at the door, full numbers for the station's own officers. */
export async function presentVisitTask(s: Services, task: VisitTaskRow, opts: { full: boolean }) {
  const dir = s.org.units;
  const c = await getCase(s.store.db, task.case_id);
  const station = dir.byId(task.unit_id);
  const base = {
    id: task.id,
    caseId: task.case_id,
    caseRef: c?.case_ref ?? null,
    station: station ? { code: station.code, name: station.name } : null,
    district: (() => {
      const d = dir.districtOf(task.unit_id);
      return d ? { code: d.code, name: d.name } : null;
    })(),
    status: task.status,
    riskLevel: task.risk_level,
    deadlineAt: task.deadline_at,
    overdue: task.status !== 'reported' && task.status !== 'cancelled' && task.deadline_at <= nowIso(),
    escalatedAt: task.escalated_at,
    summary: task.summary,
    reason: task.reason,
    name: c?.name ?? null,
    scamType: c?.scam_type ?? null,
    address: task.address,
    requestedBy: task.requested_by,
    acceptedBy: task.accepted_by,
    acceptedAt: task.accepted_at,
    onTheWayAt: task.on_the_way_at,
    reportedBy: task.reported_by,
    reportedAt: task.reported_at,
    result: task.result,
    resultNote: task.result_note,
    createdAt: task.created_at,
  };
  if (!opts.full) return base;
  const messages = c ? await listMessagesForCase(s.store.db, c.id) : [];
  return {
    ...base,
    phone: c?.phone ?? null,
    relatives: fromJson<{ phone: string; relation: string | null; name?: string | null }[]>(task.relatives, []).map((r) => ({ relation: r.relation, name: r.name ?? null, phone: r.phone })),
    transcript: messages.map((m) => ({ at: m.created_at, direction: m.direction, channel: m.channel, body: m.body, author: m.author, intent: m.intent })),
  };
}

