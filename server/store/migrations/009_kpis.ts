// Knowing what works (issue 18): fraud reports matched to warned people, randomised script trials and
// the cases pinned to their arm, call recordings, and supervisors' quality reviews of conversations.
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  // A loss reported to the police (the fraud-report feed), matched by phone to a person we warned.
  await db.schema
    .createTable('fraud_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('amount', 'double precision')
    .addColumn('scam_type', 'text', (c) => c.notNull())
    // What the feed said when it is not one of our scam types (stored as 'other').
    .addColumn('scam_type_given', 'text')
    // The warned person's case, the warning it followed, and the handoff it opened on an open case.
    .addColumn('case_id', 'text')
    .addColumn('warning_at', 'text')
    .addColumn('handoff_id', 'text')
    .addColumn('received_by', 'text', (c) => c.notNull())
    .addColumn('received_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('fraud_reports_source_external_id', ['source', 'external_id'])
    .execute();
  await db.schema.createIndex('fraud_reports_case').on('fraud_reports').columns(['case_id']).execute();
  await db.schema.createIndex('fraud_reports_phone').on('fraud_reports').columns(['phone']).execute();

  await db.schema
    .createTable('script_trials')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('version_a', 'integer', (c) => c.notNull())
    .addColumn('version_b', 'integer', (c) => c.notNull())
    // Share of new conversations that start on B (0.05 … 0.95).
    .addColumn('split_b', 'double precision', (c) => c.notNull())
    // JSON {perArm?: number, endsAt?: ISO}: when the trial stops taking new people.
    .addColumn('stop_rule', 'text', (c) => c.notNull())
    .addColumn('alpha', 'double precision', (c) => c.notNull())
    // 'running' (assigning), 'closed' (stop rule met: no new people, outcomes still maturing), 'stopped' (decided).
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('stopped_by', 'text')
    .addColumn('stopped_at', 'text')
    // 'published_a' | 'published_b' | 'kept_current'
    .addColumn('decision', 'text')
    .addColumn('published_version', 'integer')
    .execute();
  // At most one trial per flow takes new people at a time.
  await sql`create unique index script_trials_one_running_per_flow on script_trials (flow_id) where status = 'running'`.execute(db);

  // A case's arm, chosen at random when its first conversation began; every later conversation keeps it.
  await db.schema
    .createTable('trial_assignments')
    .addColumn('case_id', 'text', (c) => c.primaryKey())
    .addColumn('trial_id', 'text', (c) => c.notNull())
    .addColumn('arm', 'text', (c) => c.notNull())
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('flow_version', 'integer', (c) => c.notNull())
    .addColumn('assigned_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trial_assignments_trial').on('trial_assignments').columns(['trial_id', 'arm']).execute();

  // A Twilio recording of a call: our reference to it (Twilio keeps the audio) until retention removes it.
  await db.schema
    .createTable('call_recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('attempt_id', 'text')
    .addColumn('call_sid', 'text', (c) => c.notNull())
    .addColumn('recording_sid', 'text', (c) => c.notNull().unique())
    // Twilio's RecordingStatus (in-progress, completed, absent, failed), or 'deleted' once retention removed it.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('duration_seconds', 'integer')
    .addColumn('channels', 'integer')
    // Twilio's RecordingUrl (the media is fetched through our server, never linked directly); null once deleted.
    .addColumn('media_url', 'text')
    .addColumn('started_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('deleted_at', 'text')
    .execute();
  await db.schema.createIndex('call_recordings_case').on('call_recordings').columns(['case_id']).execute();
  await db.schema.createIndex('call_recordings_created').on('call_recordings').columns(['created_at']).execute();

  // A supervisor's score of one conversation, and whether a reply in it should teach the classifier.
  await db.schema
    .createTable('qa_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('reviewer', 'text', (c) => c.notNull())
    // JSON {criterion: 0 | 1 | 2 | null}; null = does not apply to this conversation.
    .addColumn('scores', 'text', (c) => c.notNull())
    .addColumn('score', 'double precision', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('recording_id', 'text')
    .addColumn('training_example', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('training_message_id', 'text')
    .addColumn('training_intent', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('qa_reviews_case_reviewer', ['case_id', 'reviewer'])
    .execute();
  await db.schema.createIndex('qa_reviews_training').on('qa_reviews').columns(['training_example']).execute();
}
