// A relative answers the SMS that asked them to check on the person: their words go on the person's
// case for the desk to read, and a human follows up. The relative is not put through the person's script.
import type { Services } from '../services';
import type { CaseRow } from '../store/schema';
import { insertMessage } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { toJson } from '../store/ids';
import { PendingEvents } from '../events';
import { advanceCase, lockCase } from './case-events';
import { conversationPort } from './conversation';
import { dispatch } from './outbox';

export async function recordRelativeReply(s: Services, c: CaseRow, text: string, providerId: string): Promise<void> {
  const classification = (await s.classifier.get()).classify(text);
  const pending = new PendingEvents();
  const adv = await s.store.db.transaction().execute(async (trx) => {
    const locked = (await lockCase(trx, s, c.id)) ?? c;
    await insertMessage(trx, {
      case_id: c.id,
      direction: 'in',
      channel: 'sms',
      body: text,
      intent: classification.intent,
      confidence: classification.confidence,
      at_risk: classification.atRisk ? 1 : 0,
      classification: toJson(classification),
      provider_id: providerId,
      author: 'relative',
    });
    await audit(trx, { caseId: c.id, actor: 'relative', action: 'relative_replied', detail: { intent: classification.intent } });
    // A relative saying money has gone, or the person is still in it, is as urgent as the person saying so.
    const reason = classification.atRisk ? (classification.intent === 'already_paid' ? 'already_paid' : 'mid_scam') : 'unreachable';
    return advanceCase(trx, s, locked, { type: 'relative_replied', reason }, pending, conversationPort, 'relative');
  });
  pending.flushTo(s.events);
  await dispatch(s, adv);
  s.events.publish({ type: 'case', caseId: c.id, change: 'relative_reply' });
}
