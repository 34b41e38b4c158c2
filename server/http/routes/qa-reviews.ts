// Supervisors' quality reviews: GET (desk officers may read them for coaching), PUT (supervisors), and
// the replies flagged as training examples for the classifier.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { parseWith } from '../validate';
import { listQaReviews, qaReviewSchema, QA_CRITERIA, saveQaReview } from '../../people/qa-review';
import { isSupervisor, viewerOf } from '../../people/visibility';
import { ForbiddenError } from '../../errors';
import { listTrainingExamples } from '../../store/repositories/qa-reviews';

const idParams = z.object({ id: z.uuid('must be an id') });

export function qaReviewsRoutes(s: Services): Router {
  const router = express.Router();

  router.get('/api/desk/cases/:id/qa', requireRole('desk', 'manager'), async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    res.json({ criteria: QA_CRITERIA, reviews: await listQaReviews(s, id) });
  });

  // Supervisors: managers and admins, and a unit's supervisors (issue 15).
  router.put('/api/desk/cases/:id/qa', requireRole('desk', 'manager'), async (req, res) => {
    const { id } = parseWith(idParams, req.params, 'case id');
    if (!isSupervisor(viewerOf(req))) throw new ForbiddenError('only a supervisor may score a conversation');
    const b = parseWith(qaReviewSchema, req.body, 'review');
    res.json(await saveQaReview(s, viewerOf(req), id, b));
  });

  router.get('/api/qa/training-examples', requireRole('manager'), async (_req, res) => {
    const rows = await listTrainingExamples(s.store.db);
    res.json({
      examples: rows.map((r) => ({ reviewId: r.id, caseId: r.case_id, messageId: r.message_id, text: r.body, channel: r.channel, classifiedAs: r.classified_intent, intent: r.training_intent, by: r.reviewer, at: r.updated_at })),
    });
  });

  return router;
}
