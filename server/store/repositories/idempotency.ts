import type { Db } from './cases';
import type { IdempotencyKeyRow } from '../schema-trust';
import { nowIso } from '../ids';

/** Claims a key for a request; answers the row already there when another request holds or finished it. */
export async function claimIdempotencyKey(db: Db, keyHash: string, fingerprint: string): Promise<{ claimed: true } | { claimed: false; row: IdempotencyKeyRow }> {
  for (;;) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ key_hash: keyHash, fingerprint, status: 'pending', response_status: null, response_body: null, created_at: nowIso(), completed_at: null })
      .onConflict((oc) => oc.column('key_hash').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { claimed: true };
    const row = await db.selectFrom('idempotency_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
    // Pruned between the insert and the read: claim it afresh.
    if (row) return { claimed: false, row };
  }
}

export async function completeIdempotencyKey(db: Db, keyHash: string, status: number, body: unknown): Promise<void> {
  await db
    .updateTable('idempotency_keys')
    .set({ status: 'done', response_status: status, response_body: JSON.stringify(body ?? null), completed_at: nowIso() })
    .where('key_hash', '=', keyHash)
    .execute();
}

export async function pruneIdempotencyKeys(db: Db, before: string): Promise<number> {
  const r = await db.deleteFrom('idempotency_keys').where('created_at', '<', before).executeTakeFirst();
  return Number(r.numDeletedRows ?? 0);
}
