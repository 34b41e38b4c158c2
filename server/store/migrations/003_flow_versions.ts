// Flow versions edited in the managers' console. A published version is never changed again, so a
// conversation pinned to it always finds the same script; only the one draft per flow is rewritten.
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../db';

export async function up(db: Kysely<any>, dialect: Dialect): Promise<void> {
  const autoId = (c: ColumnDefinitionBuilder) =>
    dialect === 'postgres' ? c.generatedAlwaysAsIdentity().primaryKey() : c.autoIncrement().primaryKey();

  await db.schema
    .createTable('flow_versions')
    .addColumn('id', 'integer', autoId)
    .addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull()) // 'draft' | 'saved' (was published at some point, or seeded)
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull()) // 'seed' | 'console'
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('published_by', 'text')
    .addColumn('published_at', 'text')
    .addUniqueConstraint('flow_versions_flow_version', ['flow_id', 'version'])
    .execute();

  // Which version new conversations start on. Rolling back only moves this pointer.
  await db.schema
    .createTable('flow_heads')
    .addColumn('flow_id', 'text', (c) => c.primaryKey())
    .addColumn('published_version', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
}
