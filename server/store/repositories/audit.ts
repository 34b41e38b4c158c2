import type { Db } from './cases';
import type { AuditRow } from '../schema';
import { nowIso, toJson } from '../ids';

type NewAudit = { case_id: string | null; actor: string; action: string; detail: string | null; created_at: string };

/** Transactions whose audit rows are held and written together (see bufferAudit). */
const buffers = new WeakMap<object, NewAudit[]>();

export async function audit(db: Db, e: { caseId?: string | null; actor: string; action: string; detail?: unknown }): Promise<void> {
  const row: NewAudit = { case_id: e.caseId ?? null, actor: e.actor, action: e.action, detail: e.detail === undefined ? null : toJson(e.detail), created_at: nowIso() };
  const held = buffers.get(db);
  if (held) held.push(row);
  else await db.insertInto('audit_events').values(row).execute();
}

/**
 * From now on, audit rows written on this transaction are held and written by `flushAudit` in one multi-row
 * insert, still inside the transaction (a group of warnings writes its audit trail in one statement).
 */
export function bufferAudit(trx: Db): void {
  buffers.set(trx, []);
}

/** Writes the held audit rows (in the order they were written) and stops holding them. */
export async function flushAudit(trx: Db): Promise<void> {
  const held = buffers.get(trx);
  buffers.delete(trx);
  // SQLite allows 32,766 bound values per statement: 5 per row.
  for (let i = 0; held && i < held.length; i += 1000) await trx.insertInto('audit_events').values(held.slice(i, i + 1000)).execute();
}

export const listAuditForCase = (db: Db, caseId: string): Promise<AuditRow[]> =>
  db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
