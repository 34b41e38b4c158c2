// The form parameters Twilio puts on every voice webhook and status callback.
import { rfc2822, countryOf } from './twilio-format';
import type { CallRecord } from './types';

export function voiceParams(call: CallRecord): Record<string, string> {
  const params: Record<string, string> = {
    AccountSid: call.accountSid,
    ApiVersion: '2010-04-01',
    CallSid: call.sid,
    CallStatus: call.status,
    Called: call.to,
    CalledCity: '',
    CalledCountry: countryOf(call.to),
    CalledState: '',
    CalledZip: '',
    Caller: call.from,
    CallerCity: '',
    CallerCountry: countryOf(call.from),
    CallerState: '',
    CallerZip: '',
    Direction: call.direction,
    From: call.from,
    FromCity: '',
    FromCountry: countryOf(call.from),
    FromState: '',
    FromZip: '',
    To: call.to,
    ToCity: '',
    ToCountry: countryOf(call.to),
    ToState: '',
    ToZip: '',
  };
  if (call.answeredBy) params.AnsweredBy = call.answeredBy;
  return params;
}

const SIP_CODES: Partial<Record<CallRecord['status'], string>> = {
  completed: '200',
  busy: '486',
  'no-answer': '487',
  canceled: '487',
  failed: '404',
};

export function statusCallbackParams(call: CallRecord, sequence: number, sipOverride?: string): Record<string, string> {
  const params: Record<string, string> = {
    ...voiceParams(call),
    CallbackSource: 'call-progress-events',
    SequenceNumber: String(sequence),
    Timestamp: rfc2822(new Date().toISOString()) ?? '',
  };
  const sip = sipOverride ?? SIP_CODES[call.status];
  if (sip) params.SipResponseCode = sip;
  if (call.status === 'completed') {
    const seconds = call.duration ?? 0;
    params.CallDuration = String(seconds);
    params.Duration = String(Math.ceil(seconds / 60));
  }
  return params;
}
