// A supervisor's quality review of one conversation: a score on each point of how a good dissuader talks
// (docs/kpis.md lists them), a comment, the recording heard, and optionally a reply in it flagged as a
// training example for the classifier with the intent it should have had.
// The flag feeds the classifier's labelled data the way a desk correction does (intent_corrections,
// issue 16: reviewed as made when a signed-in supervisor flags it), and stays on the review too.
import { z } from 'zod';
import type { Services } from '../services';
import type { QaReviewRow } from '../store/schema';
import { INTENTS } from '../../nlu-models/src/intents';
import { NotFoundError, ValidationError } from '../errors';
import { getCase } from '../store/repositories/cases';
import { getMessage } from '../store/repositories/messages';
import { getRecording } from '../store/repositories/recordings';
import { listQaReviewsForCase, upsertQaReview } from '../store/repositories/qa-reviews';
import { audit } from '../store/repositories/audit';
import { fromJson, newId, nowIso, toJson } from '../store/ids';
import type { Viewer } from './visibility';
import { correctIntent } from './intent-correction';

/** The points of the form, in the order the form shows them. */
export const QA_CRITERIA = [
  'identified', // named themself, the centre, the case reference and the official call-back number
  'verification', // offered independent verification: hang up and call 110 or the centre's public number
  'asked_paid', // asked early whether money had gone
  'named_tell', // named the scam's specific tell, calmly, without blame
  'one_question', // one question at a time
  'no_secrets', // never asked for a password, card number, code or money (a 0 fails the review)
  'at_risk_escalated', // someone at risk reached a human / stop-payment at once
] as const;
export type QaCriterion = (typeof QA_CRITERIA)[number];
const CRITICAL: QaCriterion[] = ['no_secrets'];

const point = z.union([z.literal(0), z.literal(1), z.literal(2), z.null()], { message: 'must be 0, 1, 2, or null when it does not apply' });

export const qaReviewSchema = z
  .object({
    scores: z.object(Object.fromEntries(QA_CRITERIA.map((c) => [c, point])) as Record<QaCriterion, typeof point>).strict(),
    comment: z.string().trim().max(2000, 'at most 2000 characters').optional(),
    recordingId: z.uuid('must be a recording id').nullable().optional(),
    trainingExample: z
      .object({
        messageId: z.uuid('must be a message id'),
        intent: z.enum(INTENTS, { message: `must be one of ${INTENTS.join(', ')}` }),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();
export type QaReviewInput = z.infer<typeof qaReviewSchema>;

export function presentQaReview(r: QaReviewRow) {
  const scores = fromJson<Record<QaCriterion, 0 | 1 | 2 | null>>(r.scores, {} as Record<QaCriterion, 0 | 1 | 2 | null>);
  return {
    id: r.id,
    caseId: r.case_id,
    reviewer: r.reviewer,
    scores,
    /** Points given ÷ points possible over the criteria that apply. */
    score: r.score,
    criticalFailed: CRITICAL.some((c) => scores[c] === 0),
    comment: r.comment,
    recordingId: r.recording_id,
    trainingExample: r.training_example ? { messageId: r.training_message_id, intent: r.training_intent } : null,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export async function listQaReviews(s: Services, caseId: string) {
  if (!(await getCase(s.store.db, caseId))) throw new NotFoundError(`case ${caseId} not found`);
  return (await listQaReviewsForCase(s.store.db, caseId)).map(presentQaReview);
}

export async function saveQaReview(s: Services, v: Viewer, caseId: string, input: QaReviewInput) {
  const db = s.store.db;
  if (!(await getCase(db, caseId))) throw new NotFoundError(`case ${caseId} not found`);
  const applicable = QA_CRITERIA.filter((c) => input.scores[c] !== null);
  if (!applicable.length) throw new ValidationError('invalid review: scores: score at least one point (null means it does not apply)');
  const score = applicable.reduce((n, c) => n + input.scores[c]!, 0) / (2 * applicable.length);
  if (input.recordingId) {
    const rec = await getRecording(db, input.recordingId);
    if (!rec || rec.case_id !== caseId) throw new ValidationError(`invalid review: recordingId: ${input.recordingId} is not a recording of this case`);
  }
  const example = input.trainingExample ?? null;
  if (example) {
    const m = await getMessage(db, example.messageId);
    if (!m || m.case_id !== caseId) throw new ValidationError(`invalid review: trainingExample.messageId: ${example.messageId} is not a message of this case`);
    if (m.direction !== 'in' || m.author !== 'citizen') throw new ValidationError('invalid review: trainingExample.messageId: only a citizen\'s reply can teach the classifier');
  }
  const now = nowIso();
  const saved = await db.transaction().execute(async (trx) => {
    const row = await upsertQaReview(trx, {
      id: newId(),
      case_id: caseId,
      reviewer: v.id,
      scores: toJson(input.scores),
      score,
      comment: input.comment || null,
      recording_id: input.recordingId ?? null,
      training_example: example ? 1 : 0,
      training_message_id: example?.messageId ?? null,
      training_intent: example?.intent ?? null,
      created_at: now,
      updated_at: now,
    });
    await audit(trx, { caseId, actor: v.id, action: 'qa_reviewed', detail: { reviewId: row.id, score, trainingExample: example } });
    return row;
  });
  if (example) await correctIntent(s, v, example.messageId, { intent: example.intent, note: `QA review ${saved.id}` });
  s.events.publish({ type: 'case', caseId, change: 'qa_reviewed' });
  return presentQaReview(saved);
}
