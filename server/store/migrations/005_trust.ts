// Idempotency keys for desk writes: the first result of a request, kept so a retry with the same
// Idempotency-Key returns it instead of sending the citizen the same message (or call) again.
import type { Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('idempotency_keys')
    // sha256 of who asked, which action and the client's key: one officer's key never meets another's.
    .addColumn('key_hash', 'text', (c) => c.primaryKey())
    // sha256 of the request itself (route, target, body): the same key for another request is refused.
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'pending' | 'done'
    .addColumn('response_status', 'integer')
    .addColumn('response_body', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('idempotency_keys_created').on('idempotency_keys').columns(['created_at']).execute();
}
