// What the consoles keep beside the cases: each person's preferences, internal notes, canned replies.
import type { Db } from './cases';
import type { CannedReplyRow, CaseNoteRow, UserPreferencesRow } from '../schema';
import { newId, nowIso } from '../ids';

export const getPreferences = (db: Db, userId: string): Promise<UserPreferencesRow | undefined> =>
  db.selectFrom('user_preferences').selectAll().where('user_id', '=', userId).executeTakeFirst();

/** Writes a person's preferences; fields left out keep their value (or the default for a first write). */
export async function savePreferences(db: Db, userId: string, patch: { locale?: string; alertSound?: boolean; alertDesktop?: boolean }, defaults: { locale: string }): Promise<UserPreferencesRow> {
  const now = nowIso();
  const current = await getPreferences(db, userId);
  const row: UserPreferencesRow = {
    user_id: userId,
    locale: patch.locale ?? current?.locale ?? defaults.locale,
    alert_sound: patch.alertSound === undefined ? (current?.alert_sound ?? 0) : patch.alertSound ? 1 : 0,
    alert_desktop: patch.alertDesktop === undefined ? (current?.alert_desktop ?? 0) : patch.alertDesktop ? 1 : 0,
    updated_at: now,
  };
  await db
    .insertInto('user_preferences')
    .values(row)
    .onConflict((oc) => oc.column('user_id').doUpdateSet({ locale: row.locale, alert_sound: row.alert_sound, alert_desktop: row.alert_desktop, updated_at: now }))
    .execute();
  return row;
}

export const listNotesForCase = (db: Db, caseId: string): Promise<CaseNoteRow[]> =>
  db.selectFrom('case_notes').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();

export async function insertNote(db: Db, n: { caseId: string; author: string; body: string }): Promise<CaseNoteRow> {
  const row: CaseNoteRow = { id: newId(), case_id: n.caseId, author: n.author, body: n.body, created_at: nowIso() };
  await db.insertInto('case_notes').values(row).execute();
  return row;
}

export function listCannedReplies(db: Db, locale?: string): Promise<CannedReplyRow[]> {
  let q = db.selectFrom('canned_replies').selectAll();
  if (locale) q = q.where('locale', '=', locale);
  return q.orderBy('locale').orderBy('position').orderBy('id').execute();
}

export const getCannedReply = (db: Db, id: string): Promise<CannedReplyRow | undefined> =>
  db.selectFrom('canned_replies').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertCannedReply(db: Db, r: { locale: string; title: string; body: string; by: string }): Promise<CannedReplyRow> {
  const last = await db.selectFrom('canned_replies').select((eb) => eb.fn.max('position').as('max')).where('locale', '=', r.locale).executeTakeFirst();
  const row: CannedReplyRow = { id: newId(), locale: r.locale, title: r.title, body: r.body, position: Number(last?.max ?? 0) + 1, updated_by: r.by, updated_at: nowIso() };
  await db.insertInto('canned_replies').values(row).execute();
  return row;
}

export async function updateCannedReply(db: Db, id: string, patch: { title?: string; body?: string; position?: number; by: string }): Promise<boolean> {
  const r = await db
    .updateTable('canned_replies')
    .set({ ...(patch.title !== undefined ? { title: patch.title } : {}), ...(patch.body !== undefined ? { body: patch.body } : {}), ...(patch.position !== undefined ? { position: patch.position } : {}), updated_by: patch.by, updated_at: nowIso() })
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteCannedReply(db: Db, id: string): Promise<boolean> {
  const r = await db.deleteFrom('canned_replies').where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
