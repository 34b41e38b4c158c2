import type { Db } from './cases';
import type { IntentCorrectionRow } from '../schema';
import { newId } from '../ids';

export type CorrectionReview = IntentCorrectionRow['review'];

export type NewCorrection = Omit<IntentCorrectionRow, 'id'>;

/**
 * Stores the correction of one message; a message has at most one, so a later correction by anyone replaces
 * the earlier one (keeping its id). Returns what it replaced, for the audit log. Run it inside the
 * transaction that writes the audit row.
 */
export async function saveCorrection(db: Db, c: NewCorrection): Promise<{ correction: IntentCorrectionRow; replaced: IntentCorrectionRow | null }> {
  const replaced = (await db.selectFrom('intent_corrections').selectAll().where('message_id', '=', c.message_id).executeTakeFirst()) ?? null;
  const row: IntentCorrectionRow = { ...c, id: replaced?.id ?? newId() };
  const { id: _id, message_id: _m, ...changes } = row;
  // Two first corrections at the same moment: the later write wins, as a replacement would.
  await db
    .insertInto('intent_corrections')
    .values(row)
    .onConflict((oc) => oc.column('message_id').doUpdateSet(changes))
    .execute();
  const correction = await db.selectFrom('intent_corrections').selectAll().where('message_id', '=', c.message_id).executeTakeFirstOrThrow();
  return { correction, replaced };
}

export const getCorrection = (db: Db, id: string): Promise<IntentCorrectionRow | undefined> =>
  db.selectFrom('intent_corrections').selectAll().where('id', '=', id).executeTakeFirst();

export const listCorrectionsForCase = (db: Db, caseId: string): Promise<IntentCorrectionRow[]> =>
  db.selectFrom('intent_corrections').selectAll().where('case_id', '=', caseId).execute();

/** Corrections in the order they were made, optionally only those in one review state. */
export function listCorrections(db: Db, opts: { review?: CorrectionReview } = {}): Promise<IntentCorrectionRow[]> {
  let q = db.selectFrom('intent_corrections').selectAll();
  if (opts.review) q = q.where('review', '=', opts.review);
  return q.orderBy('corrected_at').orderBy('id').execute();
}

/** Records a supervisor's decision; false when the correction does not exist. */
export async function reviewCorrection(db: Db, id: string, review: Exclude<CorrectionReview, 'pending'>, by: string, at: string): Promise<boolean> {
  const r = await db.updateTable('intent_corrections').set({ review, reviewed_by: by, reviewed_at: at }).where('id', '=', id).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
