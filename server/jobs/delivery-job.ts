// Sends a stored outbound message (a conversation's next prompt, or a dissuader's message).
import type { Job } from 'bull';
import type { Rendered } from '../../flows/engine';
import { getCase } from '../store/repositories/cases';
import { claimMessageForSending, getMessage, setMessageProviderId } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { fromJson } from '../store/ids';
import { ChannelError } from '../../bots/channel';
import { UnrecoverableJobError } from '../errors';
import type { Services } from '../services';
import type { DeliveryJob } from './queues';

export async function processDeliveryJob(s: Services, job: Job<DeliveryJob>): Promise<string> {
  const id = job.data?.messageId;
  if (typeof id !== 'string') throw new UnrecoverableJobError(`malformed delivery job ${job.id}`);
  const m = await getMessage(s.store.db, id);
  if (!m || m.direction !== 'out') return 'no such outbound message';
  if (m.provider_id && !m.provider_id.startsWith('sending:')) return 'already sent';
  const c = await getCase(s.store.db, m.case_id);
  if (!c) return 'case gone';
  const rendered = fromJson<(Rendered & { to?: string }) | null>(m.payload, null);
  if (!rendered) throw new UnrecoverableJobError(`message ${id} has no rendering`);
  const claim = `${job.id}:${job.attemptsMade}`;
  // A retry of our own failed attempt may re-claim; anyone else's claim means it may have been sent.
  if (m.provider_id?.startsWith('sending:')) {
    if (!m.provider_id.startsWith(`sending:${job.id}:`)) return 'claimed by another worker';
    await setMessageProviderId(s.store.db, id, null);
  }
  if (!(await claimMessageForSending(s.store.db, id, claim))) return 'claimed by another worker';
  try {
    let providerId: string;
    if (m.channel === 'telegram') {
      if (!s.channels.telegram || !c.telegram_chat_id) throw new UnrecoverableJobError('telegram is not configured or the case has no chat');
      providerId = (await s.channels.telegram.send({ to: rendered.to ?? c.telegram_chat_id, rendered })).providerId;
    } else if (m.channel === 'sms') {
      providerId = (await s.channels.sms.send({ to: rendered.to ?? c.phone, rendered, statusCallbackUrl: `${s.callbackBase}/webhooks/twilio/sms/status?caseId=${c.id}&messageId=${m.id}` })).providerId;
    } else {
      throw new UnrecoverableJobError(`cannot deliver a ${m.channel} message outside a call`);
    }
    await setMessageProviderId(s.store.db, id, providerId);
    s.events.publish({ type: 'case', caseId: c.id, change: 'delivered' });
    return `sent ${providerId}`;
  } catch (err) {
    if (err instanceof ChannelError) {
      await audit(s.store.db, { caseId: c.id, actor: 'delivery', action: 'delivery_failed', detail: { channel: m.channel, code: err.code, permanent: err.permanent, messageId: id } });
      if (err.permanent) {
        await setMessageProviderId(s.store.db, id, `failed:${err.code ?? 'unknown'}`);
        throw new UnrecoverableJobError(err.message);
      }
    }
    throw err;
  }
}
