// The stop-payment three-way call: the officer's phone, the citizen and the bank's anti-fraud line
// (org/banks.yaml) joined in one Twilio Conference through the real twilio library. The officer is dialled
// first and the room ends when they hang up; the citizen and the bank are dialled in by the room's name.
// Who joined and who left comes back as signed conference callbacks (server/webhooks/twilio-conference.ts).
import { z } from 'zod';
import type { Services } from '../services';
import { AppError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { getCase } from '../store/repositories/cases';
import { findUserByUsername } from '../store/repositories/users';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';
import { toTwilioError } from '../../bots/twilio-client';
import type { Viewer } from '../people/visibility';
import { seesUnit } from './people';
import { getStopPaymentRequest } from './stop-payments';

export const bankCallSchema = z.object({ bankCode: z.string().trim().min(2).max(32).optional() }).strict();

export const CONFERENCE_EVENTS = ['start', 'end', 'join', 'leave'];

/** The room of one request: a Twilio friendly name (no / or ?), unique per request. */
export const roomFor = (requestId: string) => `qz-sp-${requestId}`;

export interface BankCall {
  room: string;
  conferenceSid: string;
  bank: { code: string; name: { zh: string; en: string } };
  participants: { label: 'officer' | 'citizen' | 'bank'; callSid: string }[];
}

/** What every participant's call shares: the centre's number, no beep, its own end reported. */
function participantOptions(s: Services, requestId: string, label: 'officer' | 'citizen' | 'bank') {
  return {
    from: s.config.twilio.from,
    label,
    beep: 'false',
    statusCallback: `${s.callbackBase}/webhooks/twilio/conference/participant?requestId=${requestId}&label=${label}`,
    statusCallbackEvent: ['completed'],
  };
}

/**
 * Rings the officer's phone into the request's room. The citizen and the bank are dialled in only once the
 * officer is there (dialOthers, on the officer's participant-join), so nobody waits in an empty room.
 */
export async function startBankCall(s: Services, v: Viewer, requestId: string, input: z.infer<typeof bankCallSchema>): Promise<BankCall> {
  const r = await getStopPaymentRequest(s.store.db, requestId);
  if (!r) throw new NotFoundError(`stop-payment request ${requestId} not found`);
  if (!seesUnit(s.org.units, v, r.unit_id)) throw new ForbiddenError('this stop-payment request belongs to another unit');
  if (v.kind !== 'user') throw new ForbiddenError('a three-way call needs an officer on the line: sign in as a person');
  const code = input.bankCode ?? r.bank_code;
  if (!code) throw new ValidationError(`bankCode: required (the request names no bank); known: ${s.org.banks.map((b) => b.code).join(', ') || 'none: add the liaison lines to org/banks.yaml'}`);
  const bank = s.org.bank(code);
  if (!bank) throw new ValidationError(`bankCode: no bank ${code}; known: ${s.org.banks.map((b) => b.code).join(', ') || 'none: add the liaison lines to org/banks.yaml'}`);
  const c = await getCase(s.store.db, r.case_id);
  if (!c) throw new NotFoundError(`case ${r.case_id} not found`);
  const officer = (await findUserByUsername(s.store.db, v.id))?.phone ?? s.config.twilio.deskNumber;
  if (!officer) throw new ValidationError('no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER');

  const room = roomFor(r.id);
  let officerCall: { callSid: string; conferenceSid: string };
  try {
    officerCall = await s.twilio.conferences(room).participants.create({
      ...participantOptions(s, r.id, 'officer'),
      to: officer,
      // The officer holds the room: it opens when they answer (then the others are dialled in) and closes when they hang up.
      startConferenceOnEnter: true,
      endConferenceOnExit: true,
      conferenceStatusCallback: `${s.callbackBase}/webhooks/twilio/conference?requestId=${r.id}`,
      conferenceStatusCallbackEvent: CONFERENCE_EVENTS,
    });
  } catch (err) {
    const e = toTwilioError(err);
    await audit(s.store.db, { caseId: r.case_id, actor: v.id, action: 'bank_call_failed', detail: { requestId: r.id, bank: bank.code, label: 'officer', code: e.code } });
    throw new AppError(502, 'call_failed', `the three-way call could not be placed: ${e.message}`);
  }
  const conferenceSid = officerCall.conferenceSid;
  const participants: BankCall['participants'] = [{ label: 'officer', callSid: officerCall.callSid }];
  await s.store.db.updateTable('stop_payment_requests').set({ conference_name: room, conference_sid: conferenceSid, bank_code: bank.code, updated_at: nowIso() }).where('id', '=', r.id).execute();
  await audit(s.store.db, { caseId: r.case_id, actor: v.id, action: 'bank_call', detail: { requestId: r.id, bank: bank.code, conferenceSid } });
  s.events.publish({ type: 'org', change: 'stop_payment', caseId: r.case_id, requestId: r.id });
  return { room, conferenceSid, bank: { code: bank.code, name: bank.name }, participants };
}

/** The officer is in the room: dial the citizen and the bank's line into it. */
export async function dialOthers(s: Services, requestId: string, conferenceSid: string): Promise<void> {
  const r = await getStopPaymentRequest(s.store.db, requestId);
  if (!r) return;
  const c = await getCase(s.store.db, r.case_id);
  const bank = r.bank_code ? s.org.bank(r.bank_code) : undefined;
  if (!c || !bank) return;
  const dialled: BankCall['participants'] = [];
  for (const [label, to] of [
    ['citizen', c.phone],
    ['bank', bank.antiFraudLine],
  ] as const) {
    try {
      const p = await s.twilio.conferences(conferenceSid).participants.create({ ...participantOptions(s, r.id, label), to, startConferenceOnEnter: false, endConferenceOnExit: false });
      dialled.push({ label, callSid: p.callSid });
    } catch (err) {
      const e = toTwilioError(err);
      await audit(s.store.db, { caseId: r.case_id, actor: 'twilio', action: 'bank_call_failed', detail: { requestId: r.id, bank: bank.code, label, code: e.code } });
    }
  }
  await audit(s.store.db, { caseId: r.case_id, actor: 'twilio', action: 'bank_call_event', detail: { requestId: r.id, event: 'dialled', label: null, reason: dialled.map((d) => d.label).join(',') || null } });
}
