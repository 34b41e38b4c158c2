import { sql } from 'kysely';
import type { Db } from './cases';
import type { AttemptRow } from '../schema';
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

/**
 * PostgreSQL: firstDelivery and the attempt the callback names, in one statement (a status callback's
 * first two round trips). The attempt is read as the separate read would have read it, unlocked: what is
 * written to it later compares in the database (advanceAttemptStatus).
 */
export async function firstDeliveryWithAttempt(db: Db, key: string, attemptId: string): Promise<{ first: boolean; attempt?: AttemptRow }> {
  const { rows } = await sql<AttemptRow & { first_delivery: boolean }>`
    with remembered as (insert into provider_events (key, created_at) values (${key}, ${nowIso()}) on conflict (key) do nothing returning 1)
    select d.first_delivery, a.* from (select exists (select 1 from remembered) as first_delivery) d
      left join contact_attempts a on a.id = ${attemptId}`.execute(db);
  const { first_delivery: first, ...attempt } = rows[0]!;
  return { first, attempt: attempt.id ? attempt : undefined };
}

/** Forgets a delivery whose processing failed, so the provider's retry is processed. */
export async function forgetDelivery(db: Db, key: string): Promise<void> {
  await db.deleteFrom('provider_events').where('key', '=', key).execute();
}
