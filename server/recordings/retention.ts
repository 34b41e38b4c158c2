// Recordings under the retention policy (server/retention/run.ts calls this with RETENTION_RECORDING_DAYS):
// the recordings of every case closed before a moment are deleted at Twilio, and our reference to them
// dropped. The row stays, marked deleted, so the case still shows that a call was recorded and when the
// recording was removed. Open cases are never touched.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { CallRecordings } from '../../bots/recordings';
import { recordingsToPurge, updateRecording } from '../store/repositories/recordings';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';

export interface PurgeResult {
  /** Deleted (or, on a dry run, due). */
  deleted: number;
  /** Twilio could not be reached or refused: kept, and tried again on the next run. */
  failed: number;
}

export interface PurgeOptions {
  /** Recordings of cases closed before this moment (ISO) go. */
  closedBefore: string;
  /** Count what is due, change nothing. */
  dryRun?: boolean;
  actor?: string;
  batch?: number;
}

/** Safe to run again: deleted recordings are not selected twice, and one already gone at Twilio counts as deleted. */
export async function purgeRecordings(deps: { db: Kysely<Database>; recordings: CallRecordings; warn?: (detail: object, msg: string) => void }, opts: PurgeOptions): Promise<PurgeResult> {
  const result: PurgeResult = { deleted: 0, failed: 0 };
  const batch = opts.batch ?? 200;
  const skip = new Set<string>();
  for (;;) {
    const rows = (await recordingsToPurge(deps.db, opts.closedBefore, batch + skip.size)).filter((r) => !skip.has(r.id));
    if (!rows.length) return result;
    for (const r of rows) {
      if (opts.dryRun) {
        skip.add(r.id);
        result.deleted += 1;
        continue;
      }
      try {
        const how = await deps.recordings.remove(r.recording_sid);
        const at = nowIso();
        await updateRecording(deps.db, r.id, { status: 'deleted', media_url: null, deleted_at: at, updated_at: at });
        await audit(deps.db, { caseId: r.case_id, actor: opts.actor ?? 'retention', action: 'recording_deleted', detail: { recordingId: r.id, recordedAt: r.created_at, twilio: how } });
        result.deleted += 1;
      } catch (err) {
        skip.add(r.id);
        result.failed += 1;
        deps.warn?.({ recordingId: r.id, err: (err as Error).message }, 'recording not deleted at Twilio; kept for the next run');
      }
    }
  }
}
