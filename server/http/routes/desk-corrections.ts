// POST /api/desk/messages/:messageId/intent — an officer sets the right intent on a citizen's message.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { viewerOf } from '../../people/visibility';
import { correctIntent, correctionSchema, presentCorrection } from '../../people/intent-correction';

export function deskCorrectionRoutes(s: Services): Router {
  const router = express.Router();
  router.post('/api/desk/messages/:messageId/intent', requireRole('desk', 'manager'), async (req, res) => {
    const input = parseWith(correctionSchema, req.body ?? {}, 'correction');
    const correction = await correctIntent(s, viewerOf(req), String(req.params.messageId), input);
    res.json({ correction: presentCorrection(correction) });
  });
  return router;
}
