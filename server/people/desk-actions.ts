// What a dissuader does with a handoff: claim, release, write, call, resolve, or return it to the flow.
// Each action checks who holds the claim, changes the store, audits, and tells every desk.
import { z } from 'zod';
import type { Services } from '../services';
import type { HandoffRow, MessageRow } from '../store/schema';
import { DESK_OUTCOMES } from '../../flows/engine/vocabulary';
import { countSegments, type Rendered } from '../../flows/engine';
import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { claimHandoff, forceReleaseHandoff, getHandoff, releaseHandoff, resolveHandoff, activeHandoffForCase } from '../store/repositories/handoffs';
import { getCase } from '../store/repositories/cases';
import { insertMessage } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { toJson } from '../store/ids';
import { ChannelError } from '../../bots/channel';
import { PendingEvents } from '../events';
import { advanceCase, lockCase, runCaseEvent, type Advanced } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';
import { dispatch, queueMessage } from '../cases/outbox';
import { holdsClaim, isSupervisor, type Viewer } from './visibility';
import { stopPaymentSchema } from './stop-payment';
import { fileOnResolve } from '../org/stop-payment-resolve';
import { caseLocale, systemText } from '../../flows/engine/messages';
import { VOICE_DEFAULTS } from '../../flows/engine/render/voice';

export { DESK_OUTCOMES };

const note = z.string().trim().max(2000).optional();
export const resolveSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('dissuaded'), note }),
  z.object({ outcome: z.literal('unreachable'), note }),
  z.object({ outcome: z.literal('wrong_person'), note }),
  z.object({ outcome: z.literal('false_alarm'), note }),
  z.object({ outcome: z.literal('stop_payment_requested'), note, stopPayment: stopPaymentSchema }),
  z.object({ outcome: z.literal('visit_dispatched'), note, visit: z.object({ precinct: z.string().trim().min(1, 'required: the police station sent').max(100) }) }),
]);
export type ResolveInput = z.infer<typeof resolveSchema>;

export const messageSchema = z.object({ body: z.string().trim().min(1, 'write something first').max(1000, 'at most 1000 characters') });
export const returnSchema = z.object({ note });

async function loadHandoff(s: Services, id: string): Promise<HandoffRow> {
  const h = await getHandoff(s.store.db, id);
  if (!h) throw new NotFoundError(`handoff ${id} not found`);
  return h;
}

export async function claim(s: Services, v: Viewer, handoffId: string): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  if (h.status === 'resolved') throw new ConflictError('this handoff is already resolved');
  if (h.status === 'claimed') {
    if (h.claimed_by === v.id) return h;
    throw new ConflictError(`this handoff is already claimed by ${h.claimed_by}`);
  }
  if (!(await claimHandoff(s.store.db, h.id, v.id))) {
    const now = await loadHandoff(s, handoffId);
    throw new ConflictError(now.status === 'claimed' ? `this handoff is already claimed by ${now.claimed_by}` : 'this handoff is already resolved');
  }
  await audit(s.store.db, { caseId: h.case_id, actor: v.id, action: 'handoff_claimed', detail: { handoffId: h.id, waitedSeconds: Math.round((Date.now() - Date.parse(h.created_at)) / 1000) } });
  await runCaseEvent(s, h.case_id, { type: 'handoff_claimed' }, conversationPort, v.id);
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'claimed' });
  return loadHandoff(s, handoffId);
}

/** The holder puts the handoff back in the queue; a supervisor may take it from anyone. */
export async function release(s: Services, v: Viewer, handoffId: string): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  if (h.status !== 'claimed') throw new ConflictError(h.status === 'resolved' ? 'this handoff is already resolved' : 'this handoff is not claimed');
  const ok = h.claimed_by === v.id ? await releaseHandoff(s.store.db, h.id, v.id) : isSupervisor(v) ? await forceReleaseHandoff(s.store.db, h.id) : false;
  if (!ok) throw new ForbiddenError(`only ${h.claimed_by} or a supervisor can release this handoff`);
  await audit(s.store.db, { caseId: h.case_id, actor: v.id, action: 'handoff_released', detail: { handoffId: h.id, from: h.claimed_by } });
  await runCaseEvent(s, h.case_id, { type: 'handoff_released' }, conversationPort, v.id);
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'released' });
  return loadHandoff(s, handoffId);
}

/** The case's active handoff, which the viewer must hold to act on the case. */
async function heldHandoff(s: Services, v: Viewer, caseId: string, allowSupervisor = false): Promise<HandoffRow> {
  const h = await activeHandoffForCase(s.store.db, caseId);
  if (!h) throw new ConflictError('this case has no open handoff: nothing to act on');
  if (holdsClaim(v, h)) return h;
  if (allowSupervisor && isSupervisor(v)) return h;
  throw new ForbiddenError(h.status === 'claimed' ? `this case is claimed by ${h.claimed_by}` : 'claim the case before acting on it');
}

export async function resolve(s: Services, v: Viewer, handoffId: string, input: ResolveInput): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  if (h.status === 'resolved') throw new ConflictError('this handoff is already resolved');
  if (!holdsClaim(v, h) && !isSupervisor(v)) throw new ForbiddenError(h.status === 'claimed' ? `this case is claimed by ${h.claimed_by}` : 'claim the case before resolving it');
  // Organisation (issue 15): a second review has its own form (visit, call again, false alarm).
  if (h.kind === 'review') throw new ConflictError('this is a second review: decide it with POST /api/desk/handoffs/{id}/review (visit, call_again or false_alarm, and a reason)');
  const detail =
    input.outcome === 'stop_payment_requested' ? { stopPayment: input.stopPayment } : input.outcome === 'visit_dispatched' ? { visit: input.visit } : null;
  const pending = new PendingEvents();
  const done = await s.store.db.transaction().execute(async (trx): Promise<Advanced | false> => {
    const c = await lockCase(trx, s, h.case_id);
    if (!c || !(await resolveHandoff(trx, h.id, input.outcome, detail, input.note || null))) return false;
    await audit(trx, { caseId: h.case_id, actor: v.id, action: 'handoff_resolved', detail: { handoffId: h.id, outcome: input.outcome, ...(detail ?? {}), note: input.note ?? null } });
    // Organisation (issue 15): a stop-payment outcome files the request (with a status) unless one was filed during the call.
    if (input.outcome === 'stop_payment_requested') await fileOnResolve(trx, s, h, input.stopPayment, v.id, input.note ?? null);
    // A person decided the case: automation stops and the case closes with their outcome.
    return advanceCase(trx, s, c, { type: 'handoff_resolved', outcome: input.outcome }, pending, conversationPort, v.id);
  });
  if (!done) throw new ConflictError('this handoff is already resolved');
  pending.flushTo(s.events);
  await dispatch(s, done);
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'resolved' });
  return loadHandoff(s, handoffId);
}

/** Hands the conversation back to the automated flow: the handoff closes, the case's automation resumes. */
export async function returnToFlow(s: Services, v: Viewer, handoffId: string, noteText?: string): Promise<HandoffRow> {
  const h = await loadHandoff(s, handoffId);
  if (h.status === 'resolved') throw new ConflictError('this handoff is already resolved');
  if (!holdsClaim(v, h) && !isSupervisor(v)) throw new ForbiddenError('claim the case before returning it to the flow');
  const pending = new PendingEvents();
  // The lifecycle decides what comes next: the ladder again when not reached, the script's wait mid-conversation,
  // and a closed case when the script had ended.
  const done = await s.store.db.transaction().execute(async (trx): Promise<Advanced | false> => {
    const c = await lockCase(trx, s, h.case_id);
    if (!c) throw new NotFoundError(`case ${h.case_id} not found`);
    if (!(await resolveHandoff(trx, h.id, 'returned_to_flow', null, noteText || null))) return false;
    const adv = await advanceCase(trx, s, c, { type: 'handoff_returned' }, pending, conversationPort, v.id);
    await audit(trx, { caseId: c.id, actor: v.id, action: 'handoff_returned', detail: { handoffId: h.id, next: adv.state.phase === 'closed' ? 'closed' : (c.next_action ?? 'wait for the citizen'), note: noteText ?? null } });
    return adv;
  });
  if (!done) throw new ConflictError('this handoff is already resolved');
  pending.flushTo(s.events);
  await dispatch(s, done);
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'resolved' });
  return loadHandoff(s, handoffId);
}

/** Writes to the citizen on the case's text channel (Telegram when that is where they talk, else SMS). */
export async function sendMessage(s: Services, v: Viewer, caseId: string, body: string): Promise<MessageRow> {
  const c = await getCase(s.store.db, caseId);
  if (!c) throw new NotFoundError(`case ${caseId} not found`);
  await heldHandoff(s, v, caseId);
  if (c.opted_out === 1 && c.active_channel !== 'telegram') throw new ConflictError('the citizen opted out of SMS (STOP): call them instead');
  const telegram = c.active_channel === 'telegram' && !!c.telegram_chat_id && !!s.channels.telegram;
  const rendered: Rendered = telegram ? { channel: 'telegram', text: body, buttons: [] } : { channel: 'sms', text: body, segments: countSegments(body).segments };
  // The message and its outbox row commit together: if Redis loses the job, the sweeper sends it.
  const { m, row } = await s.store.db.transaction().execute(async (trx) => {
    const m = await insertMessage(trx, {
      case_id: c.id,
      direction: 'out',
      channel: rendered.channel,
      body,
      payload: toJson(rendered),
      author: v.id,
    });
    await audit(trx, { caseId: c.id, actor: v.id, action: 'desk_message', detail: { messageId: m.id, channel: m.channel, length: body.length } });
    return { m, row: await queueMessage(trx, c, m, 'desk') };
  });
  await dispatch(s, { caseId: c.id, outbox: row ? [row] : [] });
  s.events.publish({ type: 'case', caseId: c.id, change: 'message' });
  return m;
}

/** Rings the officer's phone and connects it to the citizen. */
export async function callCitizen(s: Services, v: Viewer, caseId: string, officerPhone: string | null): Promise<{ callSid: string; ringing: string }> {
  const c = await getCase(s.store.db, caseId);
  if (!c) throw new NotFoundError(`case ${caseId} not found`);
  await heldHandoff(s, v, caseId);
  const deskPhone = officerPhone ?? s.config.twilio.deskNumber;
  if (!deskPhone) throw new ValidationError('no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER');
  // In the case's language, from the message catalogue; the case reference spelt out so it is heard clearly.
  const locale = caseLocale(c);
  const say = {
    text: systemText('desk.bridge_intro', locale, { centre_name: s.config.centre.name[locale], case_ref: c.case_ref.split('').join(' ') }),
    language: VOICE_DEFAULTS[locale].say,
    voice: locale === 'en' ? s.config.twilio.voiceEn : s.config.twilio.voiceZh,
  };
  try {
    const sent = await s.channels.voice.bridge(deskPhone, c.phone, `${s.callbackBase}/webhooks/twilio/voice/status?caseId=${c.id}`, say);
    await audit(s.store.db, { caseId: c.id, actor: v.id, action: 'desk_call', detail: { callSid: sent.providerId, via: officerPhone ? 'officer_phone' : 'desk_number' } });
    s.events.publish({ type: 'case', caseId: c.id, change: 'call' });
    return { callSid: sent.providerId, ringing: officerPhone ? 'your phone' : 'the desk phone' };
  } catch (err) {
    if (err instanceof ChannelError) {
      await audit(s.store.db, { caseId: c.id, actor: v.id, action: 'desk_call_failed', detail: { code: err.code } });
      throw new AppError(502, 'call_failed', `the call could not be placed: ${err.message}`);
    }
    throw err;
  }
}
