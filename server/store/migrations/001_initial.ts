import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_ref', 'text', (c) => c.notNull().unique())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('scam_type', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('warning_count', 'integer', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('precinct', 'text')
    .addColumn('telegram_chat_id', 'text')
    .addColumn('relatives', 'text', (c) => c.notNull())
    .addColumn('conversation', 'text')
    .addColumn('flow_id', 'text')
    .addColumn('flow_version', 'integer')
    .addColumn('active_channel', 'text')
    .addColumn('next_action', 'text')
    .addColumn('next_action_at', 'text')
    .addColumn('plan', 'text')
    .addColumn('opted_out', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('outcome', 'text')
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .execute();
  // One open case per phone number: the database enforces it, so two intake processes cannot race.
  await sql`create unique index cases_one_open_per_phone on cases (phone) where status = 'open'`.execute(db);
  await db.schema.createIndex('cases_next_action').on('cases').columns(['next_action_at']).execute();
  await db.schema.createIndex('cases_telegram').on('cases').columns(['telegram_chat_id']).execute();

  await db.schema
    .createTable('warnings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('locale', 'text')
    .addColumn('scam_type', 'text', (c) => c.notNull())
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('signals', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('relatives', 'text', (c) => c.notNull())
    .addColumn('precinct', 'text')
    .addColumn('telegram_chat_id', 'text')
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('warnings_source_external_id', ['source', 'external_id'])
    .execute();
  await db.schema.createIndex('warnings_case').on('warnings').columns(['case_id']).execute();

  await db.schema
    .createTable('contact_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('to_relative', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempt_no', 'integer', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
    .addColumn('provider_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('error_code', 'text')
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attempts_case').on('contact_attempts').columns(['case_id']).execute();
  await db.schema.createIndex('attempts_provider').on('contact_attempts').columns(['provider_id']).execute();

  await db.schema
    .createTable('messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text')
    .addColumn('flow_version', 'integer')
    .addColumn('state_id', 'text')
    .addColumn('intent', 'text')
    .addColumn('confidence', 'double precision')
    .addColumn('at_risk', 'integer')
    .addColumn('classification', 'text')
    .addColumn('payload', 'text')
    .addColumn('provider_id', 'text')
    .addColumn('author', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('messages_case').on('messages').columns(['case_id', 'created_at']).execute();

  await db.schema
    .createTable('handoffs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('claimed_by', 'text')
    .addColumn('claimed_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('outcome_detail', 'text')
    .addColumn('sla_due_at', 'text', (c) => c.notNull())
    .addColumn('escalated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('handoffs_status').on('handoffs').columns(['status', 'priority', 'created_at']).execute();
  // At most one unresolved handoff per case: a second at-risk reply raises its priority instead.
  await sql`create unique index handoffs_one_active_per_case on handoffs (case_id) where status <> 'resolved'`.execute(db);

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'integer', autoId)
    .addColumn('case_id', 'text')
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_case').on('audit_events').columns(['case_id']).execute();

  await db.schema
    .createTable('provider_events')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

