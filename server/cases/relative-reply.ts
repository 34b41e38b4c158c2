// A relative answers the SMS that asked them to check on the person: their words go on the person's
// case for the desk to read, and a human follows up. The relative is not put through the person's script.
import type { Services } from '../services';
import type { CaseRow } from '../store/schema';
import { insertMessage } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { toJson } from '../store/ids';
import { PendingEvents } from '../events';
import { handOff } from './handoff';

export async function recordRelativeReply(s: Services, c: CaseRow, text: string, providerId: string): Promise<void> {
  const classification = (await s.classifier.get()).classify(text);
  const pending = new PendingEvents();
  await s.store.db.transaction().execute(async (trx) => {
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
    await handOff(trx, pending, { caseId: c.id, reason, riskLevel: c.risk_level, note: 'a relative replied to our SMS', actor: 'relative' });
  });
  pending.flushTo(s.events);
  s.events.publish({ type: 'case', caseId: c.id, change: 'relative_reply' });
}
