// Relatives from the desk: when the person cannot be reached, the officer holding the case writes to or
// calls a relative the warning named. A message goes out the same way as every other message (stored on the
// case, then the outbox); a call rings the officer's phone and connects the relative. Both are on the record.
import { z } from 'zod';
import type { Services } from '../services';
import type { CaseRow, MessageRow } from '../store/schema';
import { AppError, NotFoundError, ValidationError } from '../errors';
import { getCase } from '../store/repositories/cases';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { insertMessage } from '../store/repositories/messages';
import { insertOutbox } from '../store/repositories/outbox';
import { audit } from '../store/repositories/audit';
import { fromJson, toJson } from '../store/ids';
import { countSegments, type Rendered } from '../../flows/engine';
import { dispatch } from '../cases/outbox';
import { ChannelError } from '../../bots/channel';
import { ForbiddenError } from '../errors';
import { holdsClaim, type Viewer } from './visibility';

export const relativeParams = z.object({ id: z.uuid('must be an id'), index: z.coerce.number().int().min(0).max(9) });
export const relativeMessageSchema = z.object({ body: z.string().trim().min(1, 'write something first').max(500, 'at most 500 characters') }).strict();

interface Relative {
  phone: string;
  relation: string | null;
  name?: string | null;
}

/** The case, the relative, and that the viewer holds the case (only the holder contacts the family). */
async function load(s: Services, v: Viewer, caseId: string, index: number): Promise<{ c: CaseRow; relative: Relative }> {
  const c = await getCase(s.store.db, caseId);
  if (!c) throw new NotFoundError(`case ${caseId} not found`);
  const h = await activeHandoffForCase(s.store.db, c.id);
  if (!holdsClaim(v, h)) throw new ForbiddenError(h?.status === 'claimed' ? `this case is claimed by ${h.claimed_by}` : 'claim the case before contacting a relative');
  const relatives = fromJson<Relative[]>(c.relatives, []);
  const relative = relatives[index];
  if (!relative) throw new NotFoundError(`the case has ${relatives.length} relative(s): no relative ${index}`);
  return { c, relative };
}

export async function messageRelative(s: Services, v: Viewer, caseId: string, index: number, body: string): Promise<MessageRow> {
  const { c, relative } = await load(s, v, caseId, index);
  const rendered: Rendered & { to: string } = { channel: 'sms', text: body, segments: countSegments(body).segments, to: relative.phone };
  const { m, row } = await s.store.db.transaction().execute(async (trx) => {
    const m = await insertMessage(trx, { case_id: c.id, direction: 'out', channel: 'sms', body, payload: toJson(rendered), author: v.id });
    const row = await insertOutbox(trx, { case_id: c.id, kind: 'message', channel: 'sms', purpose: 'relative', target: relative.phone, message_id: m.id });
    await audit(trx, { caseId: c.id, actor: v.id, action: 'relative_message', detail: { relative: index, relation: relative.relation, messageId: m.id, length: body.length } });
    return { m, row };
  });
  await dispatch(s, { caseId: c.id, outbox: [{ id: row.id, due_at: row.due_at }] });
  s.events.publish({ type: 'case', caseId: c.id, change: 'message' });
  return m;
}

export async function callRelative(s: Services, v: Viewer, caseId: string, index: number, officerPhone: string | null): Promise<{ callSid: string; ringing: string }> {
  const { c, relative } = await load(s, v, caseId, index);
  const deskPhone = officerPhone ?? s.config.twilio.deskNumber;
  if (!deskPhone) throw new ValidationError('no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER');
  const say = `Quanzu desk: connecting you to a relative on case ${c.case_ref.split('').join(' ')}.`;
  try {
    const sent = await s.channels.voice.bridge(deskPhone, relative.phone, `${s.callbackBase}/webhooks/twilio/voice/status?caseId=${c.id}`, say);
    await audit(s.store.db, { caseId: c.id, actor: v.id, action: 'relative_call', detail: { relative: index, relation: relative.relation, callSid: sent.providerId } });
    s.events.publish({ type: 'case', caseId: c.id, change: 'call' });
    return { callSid: sent.providerId, ringing: officerPhone ? 'your phone' : 'the desk phone' };
  } catch (err) {
    if (err instanceof ChannelError) {
      await audit(s.store.db, { caseId: c.id, actor: v.id, action: 'relative_call_failed', detail: { relative: index, code: err.code } });
      throw new AppError(502, 'call_failed', `the call could not be placed: ${err.message}`);
    }
    throw err;
  }
}
