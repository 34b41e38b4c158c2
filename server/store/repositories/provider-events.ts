import { sql } from 'kysely';
import type { Db } from './cases';
import type { AttemptRow, CaseRow } from '../schema';
import { furtherThan } from './attempts';
import { nowIso } from '../ids';

/**
 * Remembers a provider callback by its natural key (CallSid+status, MessageSid, update_id).
 * Returns false when it was seen before: a re-delivered callback must change nothing.
 */
export async function firstDelivery(db: Db, key: string): Promise<boolean> {
  const r = await db
    .insertInto('provider_events')
    .values({ key, created_at: nowIso() })
    .onConflict((oc) => oc.column('key').doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
}

/** What a status report's first statement found (PostgreSQL, a callback that names its attempt). */
export interface FirstDeliveryLocked {
  first: boolean;
  /** the attempt as read before this statement's own write to it */
  attempt?: AttemptRow;
  /** the attempt's case, locked for this transaction; only for a first delivery */
  locked?: CaseRow;
  /** the report's status is recorded on the attempt already (it carried this provider id, so nothing is to confirm) */
  statusRecorded: boolean;
}

/**
 * PostgreSQL: a status report's first three round trips as one statement: firstDelivery, the attempt the
 * callback names, its case locked (only for a first delivery), and the status recorded on the attempt when the
 * attempt already carries the report's provider id. Lock order is the usual one, case before attempt: the
 * update reads the locked case, so it waits for the lock. An attempt without the provider id is left to the
 * caller, which confirms the outbox row first (outbox before attempt, as the relay writes them). The attempt
 * and the case come back as the statement's snapshot read them, unlocked for the attempt: what is written to it
 * compares in the database (advanceAttemptStatus), and the case's row is its newest, as a locking read returns.
 */
export async function firstDeliveryLockingCase(db: Db, r: { key: string; attemptId: string; providerId: string; status: string; errorCode?: string }): Promise<FirstDeliveryLocked> {
  const now = nowIso();
  const further = furtherThan(r.status);
  const behind = further.length ? sql`status not in (${sql.join(further)})` : sql`true`;
  const errorCode = r.errorCode === undefined ? sql`error_code` : sql`${r.errorCode}`;
  const { rows } = await sql<{ first_delivery: boolean; attempt: AttemptRow | null; locked: CaseRow | null }>`
    with remembered as (insert into provider_events (key, created_at) values (${r.key}, ${now}) on conflict (key) do nothing returning 1),
    a as (select * from contact_attempts where id = ${r.attemptId}),
    c as (select * from cases where id = (select case_id from a) and exists (select 1 from remembered) for update),
    recorded as (
      update contact_attempts set status = ${r.status}, error_code = ${errorCode}, updated_at = ${now}
      where id = (select id from a where provider_id = ${r.providerId}) and exists (select 1 from c) and ${behind}
    )
    select exists (select 1 from remembered) as first_delivery, (select to_json(a) from a) as attempt, (select to_json(c) from c) as locked`.execute(db);
  const { first_delivery: first, attempt, locked } = rows[0]!;
  return { first, attempt: attempt ?? undefined, locked: locked ?? undefined, statusRecorded: !!locked && attempt?.provider_id === r.providerId };
}

/** Forgets a delivery whose processing failed, so the provider's retry is processed. */
export async function forgetDelivery(db: Db, key: string): Promise<void> {
  await db.deleteFrom('provider_events').where('key', '=', key).execute();
}
