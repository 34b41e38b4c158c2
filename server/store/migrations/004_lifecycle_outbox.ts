// The case's lifecycle state (server/cases/lifecycle.ts) and the outbox every outbound effect goes through:
// a row is written in the same transaction as the decision to send, and a relay sends it at most once.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema.alterTable('cases').addColumn('lifecycle', 'text').execute();
  // The upstream's own label when its scam type is not one we know (worked as `other`).
  await db.schema.alterTable('warnings').addColumn('upstream_scam_type', 'text').execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    // 'call' (a warning call) or 'message' (an SMS or Telegram message: warning, prompt, desk, relative, follow-up)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    // phone number (E.164) or Telegram chat id
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text')
    .addColumn('message_id', 'text')
    // what a call needs (answer and status URLs); messages carry their rendering in messages.payload
    .addColumn('payload', 'text')
    // pending → sending → sent | unconfirmed (→ sent, or back to pending once the provider says it has nothing) | failed | cancelled
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('claim_token', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('tries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider_id', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'due_at']).execute();
  await db.schema.createIndex('outbox_case').on('outbox').columns(['case_id']).execute();
  await db.schema.createIndex('outbox_provider').on('outbox').columns(['provider_id']).execute();
  // One send per message and per attempt, whoever decides it twice.
  await sql`create unique index outbox_one_per_message on outbox (message_id) where message_id is not null`.execute(db);
  await sql`create unique index outbox_one_per_attempt on outbox (attempt_id) where attempt_id is not null`.execute(db);
  // The sweeper reads due next actions of open cases and of closed cases with a follow-up.
  await db.schema.createIndex('cases_next_action_due').on('cases').columns(['next_action', 'next_action_at']).execute();
  await db.schema.createIndex('messages_provider').on('messages').columns(['provider_id']).execute();
}
