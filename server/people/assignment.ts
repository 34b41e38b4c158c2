// Who holds a case: a supervisor assigns it to a named officer, the holder transfers it with a note, a
// supervisor takes it over, a city supervisor moves it to another unit, and auto-assignment gives waiting
// cases to online officers under their capacity. None of this says anything to the citizen: the officer
// who receives a case continues the conversation where it stands, with the notes of who had it before.
import { z } from 'zod';
import type { Services } from '../services';
import type { HandoffRow, UserRow } from '../store/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { getHandoff, activeHandoffForCase } from '../store/repositories/handoffs';
import { getCase, updateCase } from '../store/repositories/cases';
import { findUserByUsername, listUsers } from '../store/repositories/users';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';
import { homeUnitId, seesUnit, supervisesCity, supervisesUnit, unitRoleOf } from '../org/people';
import { unitCode } from '../org/units-file';
import { heldCounts } from '../org/people-admin';
import type { Viewer } from './visibility';

const note = z.string().trim().max(2000).optional();
export const assignSchema = z.object({ to: z.string().trim().min(1, 'required: the username of the officer').max(64), note }).strict();
export const takeoverSchema = z.object({ note }).strict();
export const moveSchema = z.object({ unitCode, note }).strict();

const DESK_ROLES = new Set(['desk_officer', 'supervisor', 'manager', 'admin']);

async function loadHandoff(s: Services, id: string): Promise<HandoffRow> {
  const h = await getHandoff(s.store.db, id);
  if (!h) throw new NotFoundError(`handoff ${id} not found`);
  if (h.status === 'resolved') throw new ConflictError('this handoff is already resolved');
  return h;
}

async function caseUnit(s: Services, caseId: string): Promise<string | null> {
  return (await getCase(s.store.db, caseId))?.unit_id ?? null;
}

/** Whether this person can take this case: a desk role, active, seeing the case's unit, under capacity. */
async function checkTaker(s: Services, u: UserRow | undefined, username: string, unitId: string | null, ignoreCapacityOf?: string): Promise<UserRow> {
  if (!u || u.disabled_at) throw new ValidationError(`to: no active person ${username}`);
  const role = unitRoleOf({ role: u.role, unitRole: u.unit_role });
  if (!DESK_ROLES.has(role)) throw new ValidationError(`to: ${u.username} is a ${role}, not on the desk`);
  const dir = s.org.units;
  if (!seesUnit(dir, { id: u.username, role: u.role, kind: 'user', unitId: u.unit_id, unitRole: u.unit_role }, unitId)) {
    const unit = dir.byId(unitId);
    throw new ConflictError(`${u.username} works in ${dir.byId(u.unit_id)?.code ?? dir.root.code}, which does not see this case's unit ${unit?.code ?? dir.root.code}: move the case first`);
  }
  const capacity = u.capacity ?? s.config.org.defaultCapacity;
  const held = (await heldCounts(s)).get(u.username) ?? 0;
  if (u.username !== ignoreCapacityOf && held >= capacity) throw new ConflictError(`${u.username} already holds ${held} of ${capacity} cases: choose someone else or raise their capacity`);
  return u;
}

/** Moves the claim to `to` if the handoff is still as we read it; false when someone else changed it first. */
async function moveClaim(s: Services, h: HandoffRow, to: string, by: string): Promise<boolean> {
  let q = s.store.db
    .updateTable('handoffs')
    .set({ status: 'claimed', claimed_by: to, claimed_at: nowIso(), assigned_by: by })
    .where('id', '=', h.id)
    .where('status', '=', h.status);
  q = h.claimed_by ? q.where('claimed_by', '=', h.claimed_by) : q.where('claimed_by', 'is', null);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Gives the handoff to a named officer. The holder may pass on their own claim (a transfer); a supervisor
 * of the case's unit may assign any waiting or claimed handoff.
 */
export async function assign(s: Services, v: Viewer, handoffId: string, input: z.infer<typeof assignSchema>): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  const unitId = await caseUnit(s, h.case_id);
  const holder = h.status === 'claimed' && h.claimed_by === v.id;
  if (!holder && !supervisesUnit(s.org.units, v, unitId))
    throw new ForbiddenError(h.status === 'claimed' ? `only ${h.claimed_by} or a supervisor can transfer this case` : 'only a supervisor can assign a waiting case; claim it yourself instead');
  const to = (input.to ?? '').toLowerCase();
  if (h.status === 'claimed' && h.claimed_by === to) throw new ConflictError(`${to} already holds this case`);
  const taker = await checkTaker(s, await findUserByUsername(s.store.db, to), to, unitId);
  if (!(await moveClaim(s, h, taker.username, v.id))) throw new ConflictError('the case changed hands meanwhile: reload and try again');
  const action = h.status === 'claimed' ? 'handoff_transferred' : 'handoff_assigned';
  await audit(s.store.db, { caseId: h.case_id, actor: v.id, action, detail: { handoffId: h.id, from: h.claimed_by, to: taker.username, note: input.note ?? null } });
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'claimed' });
  return (await getHandoff(s.store.db, h.id))!;
}

/** A supervisor takes a claimed case from whoever holds it, and holds it themself. */
export async function takeOver(s: Services, v: Viewer, handoffId: string, noteText?: string): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  if (v.kind !== 'user') throw new ForbiddenError('a person takes over a case, not a system key');
  const unitId = await caseUnit(s, h.case_id);
  if (!supervisesUnit(s.org.units, v, unitId)) throw new ForbiddenError("only a supervisor of the case's unit can take it over");
  if (h.status !== 'claimed') throw new ConflictError('nobody holds this case: claim it instead');
  if (h.claimed_by === v.id) throw new ConflictError('you already hold this case');
  if (!(await moveClaim(s, h, v.id, v.id))) throw new ConflictError('the case changed hands meanwhile: reload and try again');
  await audit(s.store.db, { caseId: h.case_id, actor: v.id, action: 'handoff_taken_over', detail: { handoffId: h.id, from: h.claimed_by, note: noteText ?? null } });
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'claimed' });
  return (await getHandoff(s.store.db, h.id))!;
}

/**
 * A city supervisor moves a case to another unit's queue (clearing an "unrouted" flag). A claim held by
 * someone who does not see the new unit goes back to that unit's queue.
 */
export async function moveCase(s: Services, v: Viewer, caseId: string, input: z.infer<typeof moveSchema>) {
  const dir = s.org.units;
  if (!supervisesCity(dir, v)) throw new ForbiddenError('only a city supervisor can move a case to another unit');
  const c = await getCase(s.store.db, caseId);
  if (!c) throw new NotFoundError(`case ${caseId} not found`);
  const unit = dir.byCode(input.unitCode);
  if (!unit) throw new ValidationError(`unitCode: no unit ${input.unitCode}`);
  if (unit.retired) throw new ConflictError(`unit ${unit.code} is retired`);
  const from = dir.byId(c.unit_id) ?? dir.root;
  const active = await activeHandoffForCase(s.store.db, c.id);
  let released: string | null = null;
  await s.store.db.transaction().execute(async (trx) => {
    await updateCase(trx, c.id, { unit_id: unit.id, routing: 'moved', routing_hint: v.id });
    if (active?.status === 'claimed' && active.claimed_by) {
      const holder = await findUserByUsername(trx, active.claimed_by);
      const stillSees = holder && seesUnit(dir, { id: holder.username, role: holder.role, kind: 'user', unitId: holder.unit_id, unitRole: holder.unit_role }, unit.id);
      if (!stillSees) {
        await trx.updateTable('handoffs').set({ status: 'open', claimed_by: null, claimed_at: null, assigned_by: null }).where('id', '=', active.id).where('status', '=', 'claimed').execute();
        released = active.claimed_by;
      }
    }
    await audit(trx, { caseId: c.id, actor: v.id, action: 'case_moved', detail: { from: from.code, to: unit.code, wasUnrouted: c.routing === 'unrouted', released, note: input.note ?? null } });
  });
  if (active) s.events.publish({ type: 'handoff', handoffId: active.id, caseId: c.id, change: released ? 'released' : 'raised' });
  return { caseId: c.id, from: from.code, to: unit.code, released };
}

/**
 * One round of auto-assignment: each waiting handoff, most urgent first, goes to an online desk officer
 * who sees its unit and holds fewer cases than their capacity — the officer closest to the case's unit
 * first, then the one holding fewest, then the one online longest.
 */
export async function autoAssignRound(s: Services, limit = 100): Promise<{ handoffId: string; to: string }[]> {
  const dir = s.org.units;
  const officers = (await listUsers(s.store.db)).filter((u) => !u.disabled_at && u.presence === 'online' && DESK_ROLES.has(unitRoleOf({ role: u.role, unitRole: u.unit_role })));
  if (!officers.length) return [];
  const waiting = await s.store.db
    .selectFrom('handoffs')
    .innerJoin('cases', 'cases.id', 'handoffs.case_id')
    .select(['handoffs.id', 'handoffs.case_id', 'cases.unit_id'])
    .where('handoffs.status', '=', 'open')
    .orderBy('handoffs.priority', 'desc')
    .orderBy('handoffs.created_at', 'asc')
    .limit(limit)
    .execute();
  if (!waiting.length) return [];
  const held = await heldCounts(s);
  const done: { handoffId: string; to: string }[] = [];
  for (const w of waiting) {
    const caseUnitId = w.unit_id ?? dir.root.id;
    const depthOf = (u: UserRow) => dir.ancestry(homeUnitId(dir, { id: u.username, role: u.role, kind: 'user', unitId: u.unit_id, unitRole: u.unit_role })).length;
    const candidates = officers
      .filter((u) => seesUnit(dir, { id: u.username, role: u.role, kind: 'user', unitId: u.unit_id, unitRole: u.unit_role }, caseUnitId))
      .filter((u) => (held.get(u.username) ?? 0) < (u.capacity ?? s.config.org.defaultCapacity))
      .sort((a, b) => depthOf(b) - depthOf(a) || (held.get(a.username) ?? 0) - (held.get(b.username) ?? 0) || (a.presence_at ?? '').localeCompare(b.presence_at ?? '') || a.username.localeCompare(b.username));
    const pick = candidates[0];
    if (!pick) continue;
    const capacity = pick.capacity ?? s.config.org.defaultCapacity;
    // The capacity is checked again in the update itself: another worker may have given this officer a case meanwhile.
    const r = await s.store.db
      .updateTable('handoffs')
      .set({ status: 'claimed', claimed_by: pick.username, claimed_at: nowIso(), assigned_by: 'auto' })
      .where('id', '=', w.id)
      .where('status', '=', 'open')
      .where((eb) => eb(eb.selectFrom('handoffs as held').select((e) => e.fn.countAll().as('n')).where('held.claimed_by', '=', pick.username).where('held.status', '=', 'claimed'), '<', capacity))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) continue;
    held.set(pick.username, (held.get(pick.username) ?? 0) + 1);
    await audit(s.store.db, { caseId: w.case_id, actor: 'auto-assign', action: 'handoff_assigned', detail: { handoffId: w.id, from: null, to: pick.username, auto: true } });
    s.events.publish({ type: 'handoff', handoffId: w.id, caseId: w.case_id, change: 'claimed' });
    done.push({ handoffId: w.id, to: pick.username });
  }
  return done;
}

/** Runs auto-assignment every `everyMs` in the worker; 0 turns it off. Returns the stop function. */
export function startAutoAssign(s: Services, everyMs = s.config.org.autoAssignMs): () => void {
  if (!everyMs) return () => undefined;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    autoAssignRound(s)
      .then((done) => done.length && s.log.info({ assigned: done.length }, 'handoffs auto-assigned'))
      .catch((err) => s.log.warn({ err: (err as Error).message }, 'auto-assignment failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
