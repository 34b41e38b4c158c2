// People in units, as admins and supervisors see them: where each person sits, their role, capacity,
// presence and how many cases they hold. Admins place people; everyone sets their own presence.
import { z } from 'zod';
import type { Services } from '../services';
import type { UserRow } from '../store/schema';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { findUserByUsername, listUsers, updateUser } from '../store/repositories/users';
import { deleteSessionsOfUser } from '../store/repositories/sessions';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';
import { unitCode } from './units-file';
import { ACCESS_ROLE, UNIT_ROLES, homeUnitId, unitRoleOf, type OrgViewer, type UnitRole } from './people';
import type { UnitDirectory } from './directory';

export const PRESENCE = ['online', 'away'] as const;
export type Presence = (typeof PRESENCE)[number];

export const placementSchema = z
  .object({
    unitCode: unitCode.optional(),
    unitRole: z.enum(UNIT_ROLES).optional(),
    capacity: z.number().int().min(1).max(100).nullable().optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change: give unitCode, unitRole or capacity');
export type PlacementInput = z.infer<typeof placementSchema>;

export const presenceSchema = z.object({ presence: z.enum(PRESENCE) }).strict();

/** The station kind of unit takes station officers only, and station officers belong to stations. */
function roleFits(role: UnitRole, kind: string): string | null {
  if (role === 'station_officer' && kind !== 'station') return 'a station officer belongs to a police station (kind station)';
  if (kind === 'station' && role !== 'station_officer') return `a police station's people are station officers, not ${role}`;
  return null;
}

/** Handoffs each person holds now. */
export async function heldCounts(s: Services): Promise<Map<string, number>> {
  const rows = await s.store.db
    .selectFrom('handoffs')
    .select(['claimed_by', (eb) => eb.fn.countAll().as('n')])
    .where('status', '=', 'claimed')
    .groupBy('claimed_by')
    .execute();
  return new Map(rows.filter((r) => r.claimed_by).map((r) => [r.claimed_by!, Number(r.n)]));
}

export function presentPerson(dir: UnitDirectory, u: UserRow, held: number, defaultCapacity: number) {
  const unit = dir.byId(u.unit_id) ?? dir.root;
  return {
    username: u.username,
    displayName: u.display_name,
    unitRole: unitRoleOf({ role: u.role, unitRole: u.unit_role }),
    unit: { code: unit.code, kind: unit.kind, name: unit.name },
    capacity: u.capacity ?? defaultCapacity,
    presence: u.presence,
    presenceAt: u.presence_at,
    holds: held,
    disabled: !!u.disabled_at,
  };
}

/** People in the viewer's units (the whole centre for managers and admins). */
export async function listPeople(s: Services, v: OrgViewer) {
  const dir = s.org.units;
  const scope = dir.subtree(homeUnitId(dir, v));
  const held = await heldCounts(s);
  return (await listUsers(s.store.db))
    .filter((u) => scope.has((dir.byId(u.unit_id) ?? dir.root).id))
    .map((u) => presentPerson(dir, u, held.get(u.username) ?? 0, s.config.org.defaultCapacity));
}

/** An admin places a person in a unit with a role (and capacity); a changed role signs them out everywhere. */
export async function placePerson(s: Services, actor: string, username: string, input: PlacementInput) {
  const user = await findUserByUsername(s.store.db, username);
  if (!user) throw new NotFoundError(`no person ${username}`);
  const dir = s.org.units;
  const unit = input.unitCode !== undefined ? dir.byCode(input.unitCode) : dir.byId(user.unit_id) ?? dir.root;
  if (!unit) throw new ValidationError(`unitCode: no unit ${input.unitCode}`);
  if (unit.retired) throw new ConflictError(`unit ${unit.code} is retired: place people in an active unit`);
  const role = input.unitRole ?? unitRoleOf({ role: user.role, unitRole: user.unit_role });
  const misfit = roleFits(role, unit.kind);
  if (misfit) throw new ValidationError(`unitRole: ${misfit}`);
  const accessRole = ACCESS_ROLE[role];
  const roleChanged = accessRole !== user.role || role !== unitRoleOf({ role: user.role, unitRole: user.unit_role });
  await updateUser(s.store.db, user.id, {
    ...(input.unitCode !== undefined ? { unit_id: unit.id } : {}),
    unit_role: role,
    role: accessRole,
    ...(input.capacity !== undefined ? { capacity: input.capacity } : {}),
  });
  if (roleChanged || input.unitCode !== undefined) await deleteSessionsOfUser(s.store.db, user.id);
  await audit(s.store.db, { actor, action: 'person_placed', detail: { username: user.username, unit: unit.code, unitRole: role, capacity: input.capacity } });
  const fresh = (await findUserByUsername(s.store.db, username))!;
  return presentPerson(dir, fresh, (await heldCounts(s)).get(fresh.username) ?? 0, s.config.org.defaultCapacity);
}

/** A person says whether auto-assignment may give them cases now. */
export async function setPresence(s: Services, userId: string, username: string, presence: Presence): Promise<{ presence: Presence; at: string }> {
  const at = nowIso();
  await updateUser(s.store.db, userId, { presence, presence_at: at });
  await audit(s.store.db, { actor: username, action: 'presence_changed', detail: { presence } });
  s.events.publish({ type: 'org', change: 'presence', username });
  return { presence, at };
}
