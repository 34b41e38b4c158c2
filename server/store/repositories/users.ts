import type { Db } from './cases';
import type { UserRow } from '../schema';
import { newId, nowIso } from '../ids';

export const USER_ROLES = ['desk', 'station', 'manager', 'admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

export const getUser = (db: Db, id: string): Promise<UserRow | undefined> => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const findUserByUsername = (db: Db, username: string): Promise<UserRow | undefined> =>
  db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();

export async function insertUser(
  db: Db,
  u: { username: string; role: UserRole; passwordHash: string; displayName?: string | null; phone?: string | null; unitId?: string | null; unitRole?: UserRow['unit_role']; capacity?: number | null },
): Promise<UserRow> {
  const now = nowIso();
  const row: UserRow = {
    id: newId(),
    username: u.username.trim().toLowerCase(),
    display_name: u.displayName ?? null,
    role: u.role,
    phone: u.phone ?? null,
    password_hash: u.passwordHash,
    disabled_at: null,
    created_at: now,
    updated_at: now,
    unit_id: u.unitId ?? null,
    unit_role: u.unitRole ?? null,
    capacity: u.capacity ?? null,
    presence: 'away',
    presence_at: null,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}

export async function updateUser(
  db: Db,
  id: string,
  patch: Partial<Pick<UserRow, 'role' | 'password_hash' | 'display_name' | 'phone' | 'disabled_at' | 'unit_id' | 'unit_role' | 'capacity' | 'presence' | 'presence_at'>>,
): Promise<void> {
  await db.updateTable('users').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute();
}

export const listUsers = (db: Db): Promise<UserRow[]> => db.selectFrom('users').selectAll().orderBy('username').execute();
