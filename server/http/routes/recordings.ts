// Call recordings for the desk and supervisors: a case's recordings, and the audio itself — only for the
// officer holding the case's claim or a supervisor, every listen in the audit log.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { AppError, ForbiddenError, NotFoundError } from '../../errors';
import { getCase } from '../../store/repositories/cases';
import { activeHandoffForCase } from '../../store/repositories/handoffs';
import { getRecording, listRecordingsForCase } from '../../store/repositories/recordings';
import { audit } from '../../store/repositories/audit';
import { presentRecording } from '../../recordings/recordings';
import { holdsClaim, isSupervisor, viewerOf } from '../../people/visibility';
import { RecordingNotFoundError } from '../../../bots/recordings';

const idParams = z.object({ id: z.uuid('must be an id') });

export function recordingsRoutes(s: Services): Router {
  const router = express.Router();
  const people = requireRole('desk', 'manager');

  router.get('/api/desk/cases/:id/recordings', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    if (!(await getCase(s.store.db, id))) throw new NotFoundError(`case ${id} not found`);
    res.json({ recordings: (await listRecordingsForCase(s.store.db, id)).map(presentRecording) });
  });

  router.get('/api/recordings/:id/audio', people, async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'recording id');
    const rec = await getRecording(s.store.db, id);
    if (!rec) throw new NotFoundError(`recording ${id} not found`);
    const viewer = viewerOf(req);
    if (!isSupervisor(viewer) && !holdsClaim(viewer, await activeHandoffForCase(s.store.db, rec.case_id))) {
      throw new ForbiddenError("only the officer holding this case's claim, or a supervisor, may hear its recordings");
    }
    if (rec.deleted_at) throw new AppError(410, 'recording_deleted', `recording ${id} was deleted on ${rec.deleted_at} under the retention policy`);
    if (rec.status !== 'completed') throw new AppError(409, 'recording_not_ready', `recording ${id} is ${rec.status}: there is no audio to play`);
    let audio;
    try {
      audio = await s.recordings.audio(rec.recording_sid);
    } catch (err) {
      if (err instanceof RecordingNotFoundError) throw new AppError(410, 'recording_deleted', `Twilio no longer has recording ${id}`);
      throw new AppError(502, 'recording_unavailable', `the recording could not be fetched from Twilio: ${(err as Error).message}`);
    }
    await audit(s.store.db, { caseId: rec.case_id, actor: viewer.id, action: 'recording_played', detail: { recordingId: rec.id } });
    res.set({ 'Cache-Control': 'no-store', 'Content-Type': audio.contentType, 'Content-Length': String(audio.body.length) }).send(audio.body);
  });

  return router;
}
