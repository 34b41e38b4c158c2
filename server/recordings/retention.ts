// Recordings fall under the retention policy (issue 13 builds the job): this removes the audio at Twilio
// and our reference to it for every recording made before a moment. The row stays, marked deleted, so
// the case still shows that a call was recorded and when it was removed.
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../store/schema';
import type { CallRecordings } from '../../bots/recordings';
import { recordingsToPurge, updateRecording } from '../store/repositories/recordings';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';

export interface PurgeResult {
  deleted: number;
  /** Twilio could not be reached or refused: kept, and tried again on the next run. */
  failed: number;
}

/**
 * For the retention job: every recording made before `before` (ISO time) is deleted at Twilio and its
 * reference dropped, in batches of `batch`. Safe to run again: deleted recordings are not selected twice,
 * and one already gone at Twilio counts as deleted.
 */
export async function purgeRecordingsBefore(deps: { db: Kysely<Database>; recordings: CallRecordings; log?: Logger }, before: string, batch = 200): Promise<PurgeResult> {
  const result: PurgeResult = { deleted: 0, failed: 0 };
  const failedIds = new Set<string>();
  for (;;) {
    const rows = (await recordingsToPurge(deps.db, before, batch + failedIds.size)).filter((r) => !failedIds.has(r.id));
    if (!rows.length) return result;
    for (const r of rows) {
      try {
        const how = await deps.recordings.remove(r.recording_sid);
        const at = nowIso();
        await updateRecording(deps.db, r.id, { status: 'deleted', media_url: null, deleted_at: at, updated_at: at });
        await audit(deps.db, { caseId: r.case_id, actor: 'retention', action: 'recording_deleted', detail: { recordingId: r.id, recordedAt: r.created_at, twilio: how } });
        result.deleted += 1;
      } catch (err) {
        failedIds.add(r.id);
        result.failed += 1;
        deps.log?.warn({ recordingId: r.id, err: (err as Error).message }, 'recording not deleted at Twilio; kept for the next run');
      }
    }
  }
}
