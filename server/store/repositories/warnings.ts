import type { Db } from './cases';
import type { WarningRow } from '../schema';

export const findWarning = (db: Db, source: string, externalId: string): Promise<WarningRow | undefined> =>
  db.selectFrom('warnings').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

export async function insertWarning(db: Db, row: WarningRow): Promise<void> {
  await db.insertInto('warnings').values(row).execute();
}

export const listWarningsForCase = (db: Db, caseId: string): Promise<WarningRow[]> =>
  db.selectFrom('warnings').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
