// An officer sets the right intent on a citizen's message. The correction is labelled data for the next
// model (npm run train -- --with-corrections takes the reviewed ones); it changes nothing in the live case.
// Reviewed means a supervisor stands behind it: a correction made by a signed-in manager or admin is
// reviewed as it is made; a desk officer's waits for a supervisor's approval (npm run nlu:corrections).
import { z } from 'zod';
import type { Services } from '../services';
import type { IntentCorrectionRow } from '../store/schema';
import { INTENTS, NLU_LOCALES, type Classification, type NluLocale } from '../../nlu-models/src/intents';
import { NotFoundError } from '../errors';
import { getMessage } from '../store/repositories/messages';
import { getCase } from '../store/repositories/cases';
import { saveCorrection } from '../store/repositories/intent-corrections';
import { audit } from '../store/repositories/audit';
import { fromJson, nowIso } from '../store/ids';
import { isSupervisor, type Viewer } from './visibility';

export const correctionSchema = z.object({
  intent: z.enum(INTENTS, { message: `must be one of ${INTENTS.join(', ')}` }),
  note: z.string().trim().max(500, 'at most 500 characters').optional(),
});
export type CorrectionInput = z.infer<typeof correctionSchema>;

export const presentCorrection = (c: IntentCorrectionRow) => ({
  id: c.id,
  messageId: c.message_id,
  caseId: c.case_id,
  intent: c.intent,
  previousIntent: c.previous_intent,
  modelVersion: c.model_version,
  by: c.corrected_by,
  at: c.corrected_at,
});

/** A person, not a system key, with a supervisor's role: their word is the review. */
export const reviewsOwnCorrections = (v: Viewer): boolean => v.kind === 'user' && isSupervisor(v);

export async function correctIntent(s: Services, v: Viewer, messageId: string, input: CorrectionInput): Promise<IntentCorrectionRow> {
  const m = messageId.length <= 100 ? await getMessage(s.store.db, messageId) : undefined;
  if (!m) throw new NotFoundError(`message ${messageId} not found`);
  if (m.direction !== 'in') throw new NotFoundError(`message ${messageId} is not a citizen's message: only replies can be corrected`);
  const c = await getCase(s.store.db, m.case_id);
  const classification = fromJson<Partial<Classification> | null>(m.classification, null);
  const locale: NluLocale = NLU_LOCALES.find((l) => l === classification?.locale) ?? (c?.locale === 'en' ? 'en' : 'zh');
  const at = nowIso();
  const reviewed = reviewsOwnCorrections(v);
  const correction = await s.store.db.transaction().execute(async (trx) => {
    const saved = await saveCorrection(trx, {
      message_id: m.id,
      case_id: m.case_id,
      text: m.body,
      locale,
      channel: m.channel,
      intent: input.intent,
      previous_intent: m.intent,
      model_version: classification?.modelVersion ?? null,
      note: input.note || null,
      corrected_by: v.id,
      corrected_at: at,
      review: reviewed ? 'approved' : 'pending',
      reviewed_by: reviewed ? v.id : null,
      reviewed_at: reviewed ? at : null,
    });
    await audit(trx, {
      caseId: m.case_id,
      actor: v.id,
      action: 'intent_corrected',
      detail: {
        messageId: m.id,
        correctionId: saved.correction.id,
        intent: input.intent,
        previousIntent: m.intent,
        modelVersion: saved.correction.model_version,
        review: saved.correction.review,
        replaced: saved.replaced ? { intent: saved.replaced.intent, by: saved.replaced.corrected_by, at: saved.replaced.corrected_at, review: saved.replaced.review } : null,
      },
    });
    return saved.correction;
  });
  s.events.publish({ type: 'case', caseId: m.case_id, change: 'intent_corrected' });
  return correction;
}
