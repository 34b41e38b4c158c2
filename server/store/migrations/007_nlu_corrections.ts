// Desk corrections of the classifier: an officer sets the right intent on a citizen's message. Each row is
// labelled data (the text, its locale and channel, the right intent, who said so, when, and which model
// version was wrong), and training takes only the reviewed ones. One correction per message: a later one
// replaces it, and the audit log keeps what it replaced.
import type { Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('intent_corrections')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // The citizen's words are personal data: when retention deletes the message, its correction goes too.
    .addColumn('message_id', 'text', (c) => c.notNull().unique().references('messages.id').onDelete('cascade'))
    .addColumn('case_id', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('intent', 'text', (c) => c.notNull())
    .addColumn('previous_intent', 'text')
    .addColumn('model_version', 'text')
    .addColumn('note', 'text')
    .addColumn('corrected_by', 'text', (c) => c.notNull())
    .addColumn('corrected_at', 'text', (c) => c.notNull())
    .addColumn('review', 'text', (c) => c.notNull()) // 'pending' | 'approved' | 'rejected'
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .execute();
  await db.schema.createIndex('intent_corrections_case').on('intent_corrections').columns(['case_id']).execute();
  await db.schema.createIndex('intent_corrections_review').on('intent_corrections').columns(['review', 'corrected_at']).execute();
}
