import type { Db } from './cases';
import type { AttemptRow } from '../schema';
import { newId, nowIso } from '../ids';

export interface NewAttempt {
  case_id: string;
  channel: string;
  target: string;
  to_relative?: boolean;
  attempt_no: number;
  dedupe_key: string;
}

/**
 * Records a contact attempt before the provider is asked. The dedupe key is unique: when a retried
 * job reaches this point again, it gets the existing attempt back (created=false) and must not send.
 */
export async function beginAttempt(db: Db, a: NewAttempt): Promise<{ attempt: AttemptRow; created: boolean }> {
  const now = nowIso();
  const row: AttemptRow = {
    id: newId(),
    case_id: a.case_id,
    channel: a.channel,
    target: a.target,
    to_relative: a.to_relative ? 1 : 0,
    attempt_no: a.attempt_no,
    dedupe_key: a.dedupe_key,
    provider_id: null,
    status: 'sending',
    error_code: null,
    detail: null,
    created_at: now,
    updated_at: now,
  };
  const inserted = await db.insertInto('contact_attempts').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { attempt: row, created: true };
  const existing = await db.selectFrom('contact_attempts').selectAll().where('dedupe_key', '=', a.dedupe_key).executeTakeFirstOrThrow();
  return { attempt: existing, created: false };
}

export async function updateAttempt(db: Db, id: string, patch: Partial<Pick<AttemptRow, 'provider_id' | 'status' | 'error_code' | 'detail'>>): Promise<void> {
  await db.updateTable('contact_attempts').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute();
}

export const findAttemptByProviderId = (db: Db, providerId: string): Promise<AttemptRow | undefined> =>
  db.selectFrom('contact_attempts').selectAll().where('provider_id', '=', providerId).executeTakeFirst();

export const getAttempt = (db: Db, id: string): Promise<AttemptRow | undefined> =>
  db.selectFrom('contact_attempts').selectAll().where('id', '=', id).executeTakeFirst();

export const listAttemptsForCase = (db: Db, caseId: string): Promise<AttemptRow[]> =>
  db.selectFrom('contact_attempts').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
