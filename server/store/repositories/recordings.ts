import type { Db } from './cases';
import type { CallRecordingRow } from '../schema';

export const getRecording = (db: Db, id: string): Promise<CallRecordingRow | undefined> => db.selectFrom('call_recordings').selectAll().where('id', '=', id).executeTakeFirst();

export const getRecordingBySid = (db: Db, sid: string): Promise<CallRecordingRow | undefined> =>
  db.selectFrom('call_recordings').selectAll().where('recording_sid', '=', sid).executeTakeFirst();

export const listRecordingsForCase = (db: Db, caseId: string): Promise<CallRecordingRow[]> =>
  db.selectFrom('call_recordings').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

export async function insertRecording(db: Db, row: CallRecordingRow): Promise<void> {
  await db.insertInto('call_recordings').values(row).onConflict((oc) => oc.column('recording_sid').doNothing()).execute();
}

export async function updateRecording(db: Db, id: string, patch: Partial<Omit<CallRecordingRow, 'id' | 'recording_sid'>>): Promise<void> {
  await db.updateTable('call_recordings').set(patch).where('id', '=', id).execute();
}

/** Recordings of cases closed before a moment that still point at audio: what retention removes. */
export const recordingsToPurge = (db: Db, closedBefore: string, limit: number): Promise<CallRecordingRow[]> =>
  db
    .selectFrom('call_recordings')
    .innerJoin('cases', 'cases.id', 'call_recordings.case_id')
    .selectAll('call_recordings')
    .where('cases.status', '=', 'closed')
    .where('cases.closed_at', '<', closedBefore)
    .where('call_recordings.deleted_at', 'is', null)
    .orderBy('call_recordings.created_at')
    .limit(limit)
    .execute();
