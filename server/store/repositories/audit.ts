import type { Db } from './cases';
import type { AuditRow } from '../schema';
import { nowIso, toJson } from '../ids';

export async function audit(db: Db, e: { caseId?: string | null; actor: string; action: string; detail?: unknown }): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({ case_id: e.caseId ?? null, actor: e.actor, action: e.action, detail: e.detail === undefined ? null : toJson(e.detail), created_at: nowIso() })
    .execute();
}

export const listAuditForCase = (db: Db, caseId: string): Promise<AuditRow[]> =>
  db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
