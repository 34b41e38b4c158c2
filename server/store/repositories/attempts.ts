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
  /** default 'sending' */
  status?: string;
}

/**
 * Records a contact attempt before the provider is asked. The dedupe key is unique: when a retried
 * job reaches this point again, it gets the existing attempt back (created=false) and must not send.
 */
export async function beginAttempt(db: Db, a: NewAttempt): Promise<{ attempt: AttemptRow; created: boolean }> {
  const row = attemptRow(a);
  const inserted = await db.insertInto('contact_attempts').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return { attempt: row, created: true };
  const existing = await db.selectFrom('contact_attempts').selectAll().where('dedupe_key', '=', a.dedupe_key).executeTakeFirstOrThrow();
  return { attempt: existing, created: false };
}

/** The row beginAttempt writes, not yet written. */
export function attemptRow(a: NewAttempt): AttemptRow {
  const now = nowIso();
  return {
    id: newId(),
    case_id: a.case_id,
    channel: a.channel,
    target: a.target,
    to_relative: a.to_relative ? 1 : 0,
    attempt_no: a.attempt_no,
    dedupe_key: a.dedupe_key,
    provider_id: null,
    status: a.status ?? 'sending',
    error_code: null,
    detail: null,
    created_at: now,
    updated_at: now,
  };
}

export async function updateAttempt(db: Db, id: string, patch: Partial<Pick<AttemptRow, 'provider_id' | 'status' | 'error_code' | 'detail'>>): Promise<void> {
  await db.updateTable('contact_attempts').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute();
}

export const findAttemptByProviderId = (db: Db, providerId: string): Promise<AttemptRow | undefined> =>
  db.selectFrom('contact_attempts').selectAll().where('provider_id', '=', providerId).executeTakeFirst();

export const getAttempt = (db: Db, id: string): Promise<AttemptRow | undefined> =>
  db.selectFrom('contact_attempts').selectAll().where('id', '=', id).executeTakeFirst();

export const findAttemptByNo = (db: Db, caseId: string, attemptNo: number): Promise<AttemptRow | undefined> =>
  db.selectFrom('contact_attempts').selectAll().where('case_id', '=', caseId).where('attempt_no', '=', attemptNo).executeTakeFirst();

export const attemptsByNo = (db: Db, caseId: string, attemptNos: number[]): Promise<AttemptRow[]> =>
  attemptNos.length ? db.selectFrom('contact_attempts').selectAll().where('case_id', '=', caseId).where('attempt_no', 'in', attemptNos).execute() : Promise.resolve([]);

// How far along a status is: a status callback that arrives late never takes an attempt back (a terminal
// status may replace another terminal one: the latest report is recorded).
const STATUS_RANK: Record<string, number> = {
  queued: 0, sending: 1, unconfirmed: 1, accepted: 2, scheduled: 2, initiated: 2, ringing: 3, sent: 3, 'in-progress': 4,
  delivered: 5, undelivered: 5, failed: 5, read: 5, completed: 5, busy: 5, 'no-answer': 5, canceled: 5, cancelled: 5,
};
export const statusRank = (status: string): number => STATUS_RANK[status] ?? 0;

/** Per status, the statuses further along than it: an attempt in one of them is not taken back. */
const FURTHER_THAN: Record<string, string[]> = Object.fromEntries(
  Object.keys(STATUS_RANK).map((s) => [s, Object.keys(STATUS_RANK).filter((k) => STATUS_RANK[k]! > STATUS_RANK[s]!)]),
);

/**
 * Records a provider's status for an attempt unless the attempt is already further along; the provider's id is
 * kept either way. With the attempt as read, a report that changes nothing writes nothing.
 */
export async function recordAttemptStatus(db: Db, a: AttemptRow, status: string, errorCode: string | undefined, providerId: string): Promise<void> {
  if (a.provider_id && (statusRank(status) < statusRank(a.status) || (status === a.status && (errorCode ?? a.error_code) === a.error_code))) return;
  await advanceAttemptStatus(db, a.id, status, errorCode, providerId);
}

/**
 * The same for an attempt known only by its id, in one statement: the database compares the ranks on the row as
 * it is, so two reports racing cannot take it back. When the status is behind, only the provider's id is kept.
 */
export async function advanceAttemptStatus(db: Db, id: string, status: string, errorCode: string | undefined, providerId: string): Promise<void> {
  const further = furtherThan(status);
  await db
    .updateTable('contact_attempts')
    .set((eb) => {
      const behind = further.length ? eb('status', 'not in', further) : eb.lit(true);
      return {
        status: eb.case().when(behind).then(eb.val(status)).else(eb.ref('status')).end(),
        error_code: errorCode === undefined ? eb.ref('error_code') : eb.case().when(behind).then(eb.val(errorCode)).else(eb.ref('error_code')).end(),
        provider_id: eb.fn.coalesce('provider_id', eb.val(providerId)),
        updated_at: nowIso(),
      };
    })
    .where('id', '=', id)
    // Nothing to write when the attempt is further along and already has its provider's id.
    .where((eb) => eb.or([further.length ? eb('status', 'not in', further) : eb.lit(true), eb('provider_id', 'is', null)]))
    .execute();
}

/** The statuses further along than this one (an unknown status ranks as queued). */
export const furtherThan = (status: string): string[] => FURTHER_THAN[status] ?? FURTHER_THAN.queued!;

export const listAttemptsForCase = (db: Db, caseId: string): Promise<AttemptRow[]> =>
  db.selectFrom('contact_attempts').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
