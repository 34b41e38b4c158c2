import type { Db } from './cases';
import type { FraudReportRow } from '../schema';

export const findFraudReport = (db: Db, source: string, externalId: string): Promise<FraudReportRow | undefined> =>
  db.selectFrom('fraud_reports').selectAll().where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst();

export async function insertFraudReport(db: Db, row: FraudReportRow): Promise<void> {
  await db.insertInto('fraud_reports').values(row).execute();
}

/** The latest warning of this person received at or before a moment, with its case. */
export const latestWarningBefore = (db: Db, phone: string, at: string): Promise<{ case_id: string; received_at: string } | undefined> =>
  db
    .selectFrom('warnings')
    .innerJoin('cases', 'cases.id', 'warnings.case_id')
    .select(['warnings.case_id', 'warnings.received_at'])
    .where('cases.phone', '=', phone)
    .where('warnings.received_at', '<=', at)
    .orderBy('warnings.received_at', 'desc')
    .limit(1)
    .executeTakeFirst();

/** Reports matched after a warning, for the given cases (the reports' re-victimisation figures). */
export const matchedReportsForCases = (db: Db, caseIds: string[]): Promise<Pick<FraudReportRow, 'case_id' | 'occurred_at' | 'warning_at' | 'amount'>[]> =>
  db.selectFrom('fraud_reports').select(['case_id', 'occurred_at', 'warning_at', 'amount']).where('case_id', 'in', caseIds).where('warning_at', 'is not', null).execute();
