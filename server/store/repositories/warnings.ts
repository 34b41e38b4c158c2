import { caseUpdate, insertCase, updateCase, type Db } from './cases';
import type { Dialect } from '../db';
import type { CaseUpdate, NewCase, WarningRow } from '../schema';

export const findWarning = (db: Db, source: string, externalId: string): Promise<WarningRow | undefined> =>
  db.selectFrom('warnings').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

export async function insertWarning(db: Db, row: WarningRow): Promise<void> {
  await db.insertInto('warnings').values(row).execute();
}

/** A warning and the case it opens, written together: one statement on PostgreSQL. */
export async function insertWarningOpeningCase(db: Db, dialect: Dialect, opened: NewCase, row: WarningRow): Promise<void> {
  if (dialect !== 'postgres') {
    await insertCase(db, opened);
    return insertWarning(db, row);
  }
  await db
    .with('opened', (q) => q.insertInto('cases').values(opened))
    .insertInto('warnings')
    .values(row)
    .execute();
}

/** A repeat warning and what it changes on its person's open case, written together: one statement on PostgreSQL. */
export async function insertWarningUpdatingCase(db: Db, dialect: Dialect, caseId: string, patch: CaseUpdate, row: WarningRow): Promise<void> {
  if (dialect !== 'postgres') {
    await updateCase(db, caseId, patch);
    return insertWarning(db, row);
  }
  await db
    .with('updated', (q) => caseUpdate(q, caseId, patch))
    .insertInto('warnings')
    .values(row)
    .execute();
}

export const listWarningsForCase = (db: Db, caseId: string): Promise<WarningRow[]> =>
  db.selectFrom('warnings').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

/** The source of the warning that opened a case (its first warning). */
export async function sourceThatOpened(db: Db, caseId: string): Promise<string | undefined> {
  const r = await db.selectFrom('warnings').select('source').where('case_id', '=', caseId).orderBy('created_at').orderBy('received_at').limit(1).executeTakeFirst();
  return r?.source;
}
