import { sql } from 'kysely';
import { caseUpdate, insertCase, updateCase, type Db } from './cases';
import type { Dialect } from '../db';
import type { CaseRow, CaseUpdate, NewCase, WarningRow } from '../schema';

export const findWarning = (db: Db, source: string, externalId: string): Promise<WarningRow | undefined> =>
  db.selectFrom('warnings').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

export async function insertWarning(db: Db, row: WarningRow): Promise<void> {
  await db.insertInto('warnings').values(row).execute();
}

/** SQLite: a warning and the case it opens (the duplicate and open-case checks ran before, in this transaction). */
export async function insertWarningOpeningCase(db: Db, opened: NewCase, row: WarningRow): Promise<void> {
  await insertCase(db, opened);
  await insertWarning(db, row);
}

/** The columns and values of a row for `insert … select`, undefined fields left to their defaults. */
function columnsAndValues(row: object) {
  const entries = Object.entries(row).filter(([, v]) => v !== undefined);
  return { columns: sql.join(entries.map(([k]) => sql.ref(k))), values: sql.join(entries.map(([, v]) => sql.val(v))) };
}

/**
 * PostgreSQL, intake's first statement, which for a warning that opens a case is its only one: the case a
 * warning of this source and id already went to (a duplicate: nothing is written); else the person's open case,
 * locked until commit so that concurrent warnings for one person count one after the other (returned: the
 * caller adds the warning to it); else `opened` and its warning are inserted. Two transactions opening a case
 * for one person at once: the second's insert violates the one-open-case index and its unit runs again, finding
 * the first's case. (SQLite asks apart: one writer at a time, and a statement there costs microseconds.)
 */
export async function openCaseUnlessKnown(db: Db, opened: NewCase, row: WarningRow): Promise<{ duplicateOf?: string; open?: CaseRow }> {
  const c = columnsAndValues(opened);
  const w = columnsAndValues(row);
  const { rows } = await sql<{ duplicate_of: string | null; open_case: CaseRow | null }>`
    with dup as (select case_id from warnings where source = ${row.source} and external_id = ${row.external_id}),
         open_case as (select * from cases where phone = ${opened.phone} and status = 'open' for update),
         opened as (
           insert into cases (${c.columns}) select ${c.values}
           where not exists (select 1 from dup) and not exists (select 1 from open_case)
           returning id),
         warned as (insert into warnings (${w.columns}) select ${w.values} from opened)
    select (select case_id from dup) as duplicate_of, (select row_to_json(o) from open_case o) as open_case`.execute(db);
  const r = rows[0];
  return { duplicateOf: r?.duplicate_of ?? undefined, open: r?.open_case ?? undefined };
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
