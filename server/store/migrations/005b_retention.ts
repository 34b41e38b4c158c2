// Retention bookkeeping: which closed cases have had their numbers or transcripts removed (so each daily
// run only touches what became due), and which maintenance run last started (so one worker runs it a day).
import type { Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('case_retention')
    .addColumn('case_id', 'text', (c) => c.primaryKey().references('cases.id'))
    .addColumn('numbers_removed_at', 'text')
    .addColumn('transcripts_removed_at', 'text')
    .execute();
  await db.schema
    .createTable('maintenance_runs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .execute();
  // Closed cases by when they closed: the retention run's starting point.
  await db.schema.createIndex('cases_closed_at').on('cases').columns(['status', 'closed_at']).execute();
  await db.schema.createIndex('provider_events_created').on('provider_events').columns(['created_at']).execute();
  await db.schema.createIndex('sessions_expires').on('sessions').columns(['expires_at']).execute();
  await db.schema.createIndex('login_attempts_at').on('login_attempts').columns(['at']).execute();
}
