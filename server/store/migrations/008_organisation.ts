// The centre's organisation (issue 15): units (city → districts → stations), people placed in units with a
// role, presence and capacity; cases routed to a unit; second reviews; visit tasks for stations; stop-payment
// requests with a status. Append only.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('units')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull()) // city | district | station
    .addColumn('parent_id', 'text', (c) => c.references('units.id'))
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('aliases', 'text', (c) => c.notNull()) // JSON string[]: other names an address may use
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('source', 'text', (c) => c.notNull()) // file | admin
    .addColumn('retired_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await sql`create unique index units_one_default on units (is_default) where is_default = 1`.execute(db);

  await db.schema.alterTable('users').addColumn('unit_id', 'text').execute();
  await db.schema.alterTable('users').addColumn('unit_role', 'text').execute();
  await db.schema.alterTable('users').addColumn('capacity', 'integer').execute();
  await db.schema.alterTable('users').addColumn('presence', 'text', (c) => c.notNull().defaultTo('away')).execute();
  await db.schema.alterTable('users').addColumn('presence_at', 'text').execute();

  // Where the case sits (the queue that sees it) and how it got there; KPIs group by unit_id.
  await db.schema.alterTable('cases').addColumn('unit_id', 'text').execute();
  await db.schema.alterTable('cases').addColumn('routing', 'text').execute(); // code | address | default | unrouted | moved
  await db.schema.alterTable('cases').addColumn('routing_hint', 'text').execute(); // the code or name routing went by
  await db.schema.alterTable('cases').addColumn('address', 'text').execute();
  await db.schema.createIndex('cases_unit').on('cases').columns(['unit_id', 'status']).execute();
  await db.schema.alterTable('warnings').addColumn('unit_code', 'text').execute();
  await db.schema.alterTable('warnings').addColumn('address', 'text').execute();

  // A second review (二次研判) is its own kind of handoff with its own form; assignment says who gave it.
  await db.schema.alterTable('handoffs').addColumn('kind', 'text', (c) => c.notNull().defaultTo('dissuasion')).execute();
  await db.schema.alterTable('handoffs').addColumn('assigned_by', 'text').execute();
  await sql`update handoffs set kind = 'review' where reason = 'review'`.execute(db);
  await db.schema.createIndex('handoffs_claimed_by').on('handoffs').columns(['claimed_by', 'status']).execute();

  await db.schema
    .createTable('visit_tasks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('units.id')) // the station
    .addColumn('handoff_id', 'text') // the review that asked for it
    .addColumn('status', 'text', (c) => c.notNull()) // assigned | accepted | on_the_way | reported | cancelled
    .addColumn('risk_level', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('relatives', 'text', (c) => c.notNull()) // JSON, as given by the warning
    .addColumn('reason', 'text') // why the reviewer sent officers
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('accepted_by', 'text')
    .addColumn('accepted_at', 'text')
    .addColumn('on_the_way_at', 'text')
    .addColumn('reported_by', 'text')
    .addColumn('reported_at', 'text')
    .addColumn('result', 'text') // met_dissuaded | not_home | refused | already_paid | wrong_person
    .addColumn('result_note', 'text')
    .addColumn('escalated_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('visit_tasks_unit').on('visit_tasks').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('visit_tasks_deadline').on('visit_tasks').columns(['status', 'escalated_at', 'deadline_at']).execute();
  await sql`create unique index visit_tasks_one_open_per_case on visit_tasks (case_id) where status not in ('reported', 'cancelled')`.execute(db);

  await db.schema
    .createTable('stop_payment_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('handoff_id', 'text')
    .addColumn('unit_id', 'text')
    .addColumn('status', 'text', (c) => c.notNull()) // requested | confirmed | frozen | refused | amount_returned
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('currency', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('account', 'text', (c) => c.notNull())
    .addColumn('paid_at', 'text', (c) => c.notNull()) // as the citizen said it
    .addColumn('bank_code', 'text')
    .addColumn('first_mentioned_at', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'text', (c) => c.notNull())
    .addColumn('status_by', 'text')
    .addColumn('status_at', 'text')
    .addColumn('returned_amount', 'double precision')
    .addColumn('bank_reference', 'text')
    .addColumn('note', 'text')
    .addColumn('conference_name', 'text')
    .addColumn('conference_sid', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stop_payment_requests_case').on('stop_payment_requests').columns(['case_id']).execute();
  await db.schema.createIndex('stop_payment_requests_requested').on('stop_payment_requests').columns(['requested_at']).execute();
  await db.schema.createIndex('stop_payment_requests_conference').on('stop_payment_requests').columns(['conference_name']).execute();
}
