// Our reference to each Twilio recording of a call, kept from its status callbacks; the audio stays at
// Twilio and is fetched through the server for people allowed to hear it.
import type { z } from 'zod';
import type { Services } from '../services';
import type { CallRecordingRow } from '../store/schema';
import type { recordingStatusSchema, callbackQuerySchema } from '../webhooks/twilio-schema';
import { findAttemptByProviderId, getAttempt } from '../store/repositories/attempts';
import { getRecordingBySid, insertRecording, updateRecording } from '../store/repositories/recordings';
import { audit } from '../store/repositories/audit';
import { newId, nowIso } from '../store/ids';

type RecordingStatus = z.infer<typeof recordingStatusSchema>;
type CallbackQuery = z.infer<typeof callbackQuerySchema>;

export async function recordRecordingStatus(s: Services, r: RecordingStatus, q: CallbackQuery): Promise<void> {
  const attempt = q.attemptId ? await getAttempt(s.store.db, q.attemptId) : await findAttemptByProviderId(s.store.db, r.CallSid);
  const caseId = q.caseId ?? attempt?.case_id;
  if (!caseId) {
    s.log.warn({ callSid: r.CallSid, recordingSid: r.RecordingSid }, 'recording of a call we do not know; not kept');
    return;
  }
  const now = nowIso();
  const startedAt = r.RecordingStartTime && !Number.isNaN(Date.parse(r.RecordingStartTime)) ? new Date(r.RecordingStartTime).toISOString() : null;
  const existing = await getRecordingBySid(s.store.db, r.RecordingSid);
  // Retention removed it: a late callback must not bring the reference back.
  if (existing?.status === 'deleted') return;
  const patch = {
    status: r.RecordingStatus,
    duration_seconds: r.RecordingDuration ?? existing?.duration_seconds ?? null,
    channels: r.RecordingChannels ?? existing?.channels ?? null,
    media_url: r.RecordingUrl ?? existing?.media_url ?? null,
    started_at: startedAt ?? existing?.started_at ?? null,
    updated_at: now,
  };
  let id = existing?.id;
  if (existing) await updateRecording(s.store.db, existing.id, patch);
  else {
    id = newId();
    await insertRecording(s.store.db, { id, case_id: caseId, attempt_id: attempt?.id ?? null, call_sid: r.CallSid, recording_sid: r.RecordingSid, created_at: now, deleted_at: null, ...patch });
  }
  if (r.RecordingStatus === 'completed') {
    await audit(s.store.db, { caseId, actor: 'twilio', action: 'call_recorded', detail: { recordingId: id, callSid: r.CallSid, durationSeconds: patch.duration_seconds } });
    s.events.publish({ type: 'case', caseId, change: 'recording' });
  }
}

export const presentRecording = (r: CallRecordingRow) => ({
  id: r.id,
  caseId: r.case_id,
  callSid: r.call_sid,
  status: r.status,
  durationSeconds: r.duration_seconds,
  channels: r.channels,
  startedAt: r.started_at,
  createdAt: r.created_at,
  deletedAt: r.deleted_at,
  /** Where the console plays it; null while it is still recording, when it came out empty, or once deleted. */
  audioUrl: r.status === 'completed' && !r.deleted_at ? `/api/recordings/${r.id}/audio` : null,
});
