import type { Db } from './cases';
import type { QaReviewRow } from '../schema';

export const listQaReviewsForCase = (db: Db, caseId: string): Promise<QaReviewRow[]> =>
  db.selectFrom('qa_reviews').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();

export const getQaReview = (db: Db, caseId: string, reviewer: string): Promise<QaReviewRow | undefined> =>
  db.selectFrom('qa_reviews').selectAll().where('case_id', '=', caseId).where('reviewer', '=', reviewer).executeTakeFirst();

/** One review per supervisor and case: saving again replaces their earlier one. */
export async function upsertQaReview(db: Db, row: QaReviewRow): Promise<QaReviewRow> {
  await db
    .insertInto('qa_reviews')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['case_id', 'reviewer']).doUpdateSet({
        scores: row.scores,
        score: row.score,
        comment: row.comment,
        recording_id: row.recording_id,
        training_example: row.training_example,
        training_message_id: row.training_message_id,
        training_intent: row.training_intent,
        updated_at: row.updated_at,
      }),
    )
    .execute();
  return (await getQaReview(db, row.case_id, row.reviewer))!;
}

/** Replies supervisors flagged as training examples, with the words and the intent they should have had. */
export const listTrainingExamples = (db: Db, limit = 1000) =>
  db
    .selectFrom('qa_reviews')
    .innerJoin('messages', 'messages.id', 'qa_reviews.training_message_id')
    .select(['qa_reviews.id', 'qa_reviews.case_id', 'qa_reviews.reviewer', 'qa_reviews.training_intent', 'qa_reviews.updated_at', 'messages.id as message_id', 'messages.body', 'messages.channel', 'messages.intent as classified_intent'])
    .where('qa_reviews.training_example', '=', 1)
    .orderBy('qa_reviews.updated_at', 'desc')
    .limit(limit)
    .execute();
