import type { Db } from './cases';
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

/** Forgets a delivery whose processing failed, so the provider's retry is processed. */
export async function forgetDelivery(db: Db, key: string): Promise<void> {
  await db.deleteFrom('provider_events').where('key', '=', key).execute();
}
