// A citizen who calls or writes without any case of their own: open one, so the script and a human can
// follow up. (A citizen whose own case closed gets that case back instead: see the webhooks.)
import type { ChannelName } from '../../flows/engine/vocabulary';
import type { Services } from '../services';
import type { CaseRow } from '../store/schema';
import { findLatestCaseByPhone, findOpenCaseByPhone, getCase, insertCase, untouchedCaseState } from '../store/repositories/cases';
import { audit } from '../store/repositories/audit';
import { newCaseRef, newId, nowIso, toJson } from '../store/ids';
import { PendingEvents } from '../events';
import { isUniqueViolation } from './intake';
import { advanceCase } from './case-events';
import { conversationPort } from './conversation';

export async function openReturnContactCase(s: Services, phone: string, channel: ChannelName, telegramChatId?: string): Promise<CaseRow> {
  const previous = await findLatestCaseByPhone(s.store.db, phone);
  const now = nowIso();
  const id = newId();
  const pending = new PendingEvents();
  try {
    await s.store.db.transaction().execute(async (trx) => {
      await insertCase(trx, {
        id,
        case_ref: newCaseRef(),
        phone,
        status: 'open',
        name: previous?.name ?? null,
        locale: previous?.locale ?? (/^\+86/.test(phone) ? 'zh' : 'en'),
        scam_type: previous?.scam_type ?? 'other',
        risk_level: previous?.risk_level ?? 'medium',
        warning_count: 0,
        amount: previous?.amount ?? null,
        precinct: previous?.precinct ?? null,
        telegram_chat_id: telegramChatId ?? previous?.telegram_chat_id ?? null,
        relatives: previous?.relatives ?? toJson([]),
        ...untouchedCaseState(now),
        active_channel: channel,
        // Organisation (issue 15): back to the unit that had the person before, else the default unit.
        unit_id: previous?.unit_id ?? s.org.units.defaultUnit.id,
        routing: previous?.routing ?? 'default',
        routing_hint: previous?.routing_hint ?? null,
        address: previous?.address ?? null,
      });
      await audit(trx, { caseId: id, actor: 'citizen', action: 'return_contact', detail: { channel, previousCaseId: previous?.id ?? null } });
      await advanceCase(trx, s, (await getCase(trx, id))!, { type: 'return_contact', channel }, pending, conversationPort, 'citizen');
    });
  } catch (err) {
    // Another callback opened it at the same moment.
    if (!isUniqueViolation(err)) throw err;
    return (await findOpenCaseByPhone(s.store.db, phone))!;
  }
  pending.flushTo(s.events);
  return (await getCase(s.store.db, id))!;
}
