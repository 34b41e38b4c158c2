// SMS both ways: the app's outbound messages with their status callbacks, and citizens' texts to the app.
import type { NetworkContext } from './context';
import { twilioSid } from './sids';
import { nowIso } from './state';
import { countryOf, isDialable, segmentCount, TWILIO_ERROR_MESSAGES } from './twilio-format';
import { TwilioRefusal } from './twilio-refusal';
import { elementsOf, parseTwiml, textOf } from './twiml';
import type { SmsRecord, SmsStatus } from './types';

const MAX_BODY = 1600;

// Twilio's default opt-out keywords and auto-replies (Messaging Service "Default" opt-out handling).
const OPT_OUT = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
const OPT_IN = ['START', 'YES', 'UNSTOP'];
const HELP = ['HELP', 'INFO'];
const AUTO_REPLY = {
  STOP: 'You have successfully been unsubscribed. You will not receive any more messages from this number. Reply START to resubscribe.',
  START: 'You have successfully been re-subscribed to messages from this number. Reply HELP for help. Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
  HELP: 'Reply STOP to unsubscribe. Msg&Data Rates May Apply.',
};

export interface OutboundSmsParams {
  To?: string;
  From?: string;
  MessagingServiceSid?: string;
  Body?: string;
  MediaUrl?: string | string[];
  StatusCallback?: string;
}

export class SmsEngine {
  constructor(private readonly ctx: NetworkContext) {}

  /** Validate like Twilio, store the message as queued and start its delivery; throws TwilioRefusal. */
  create(p: OutboundSmsParams): SmsRecord {
    const to = p.To?.trim();
    if (!to) throw new TwilioRefusal(400, 21604, "A 'To' phone number is required.");
    if (!p.From && !p.MessagingServiceSid) throw new TwilioRefusal(400, 21603, "A 'From' phone number is required.");
    if (!p.Body && !p.MediaUrl) throw new TwilioRefusal(400, 21602, 'Message body is required.');
    const body = p.Body ?? '';
    if ([...body].length > MAX_BODY)
      throw new TwilioRefusal(400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (!isDialable(to)) throw new TwilioRefusal(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const behaviour = this.ctx.state.behaviourOf(to);
    const refusal = behaviour.apiError;
    if (refusal && refusal.for !== 'call') {
      const message = refusal.code === 21211 ? `The 'To' number ${to} is not a valid phone number.` : refusal.message;
      throw new TwilioRefusal(refusal.status ?? 400, refusal.code, message);
    }
    if (behaviour.optedOut) throw new TwilioRefusal(400, 21610, TWILIO_ERROR_MESSAGES[21610]);

    const record = this.store('outbound-api', p.From ?? this.ctx.options.twilio.phoneNumber, to, body, 'queued', p.StatusCallback ?? null);
    this.ctx.lifetime.spawn(() => this.deliver(record), this.ctx.onInternalError);
    return record;
  }

  /** A citizen texts one of the app's numbers: Twilio POSTs the Messaging webhook and sends any TwiML reply. */
  async citizenSends(from: string, body: string, to?: string): Promise<SmsRecord> {
    const ours = to ?? this.lastSenderTo(from) ?? this.ctx.options.twilio.phoneNumber;
    const record = this.store('inbound', from, ours, body, 'received', null);
    const keyword = body.trim().toUpperCase();
    const optOutType = OPT_OUT.includes(keyword) ? 'STOP' : OPT_IN.includes(keyword) ? 'START' : HELP.includes(keyword) ? 'HELP' : null;
    if (optOutType === 'STOP') this.setOptedOut(from, true);
    if (optOutType === 'START') this.setOptedOut(from, false);

    const a = this.ctx.options.twilio;
    const params: Record<string, string> = {
      ToCountry: countryOf(ours),
      ToState: '',
      SmsMessageSid: record.sid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: record.sid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: body,
      FromCountry: countryOf(from),
      To: ours,
      ToZip: '',
      NumSegments: String(record.numSegments),
      MessageSid: record.sid,
      AccountSid: a.accountSid,
      From: from,
      ApiVersion: '2010-04-01',
    };
    if (optOutType) params.OptOutType = optOutType;
    if (optOutType) this.store('outbound-reply', ours, from, AUTO_REPLY[optOutType], 'delivered', null);
    const res = await this.ctx.sender.twilio('incoming-sms', a.incomingSmsUrl, params, record.sid);
    if (res.status >= 200 && res.status < 300) this.sendTwimlReplies(res.body, ours, from);
    return record;
  }

  private sendTwimlReplies(body: string, ours: string, citizen: string): void {
    // An opted-out citizen gets nothing back: Twilio drops the reply with 21610.
    if (!body.trim().startsWith('<') || this.ctx.state.behaviourOf(citizen).optedOut) return;
    let doc;
    try {
      doc = parseTwiml(body);
    } catch {
      return; // Twilio logs 12100 and sends nothing back
    }
    for (const verb of elementsOf(doc)) {
      if (verb.name !== 'Message') continue;
      const bodyEl = elementsOf(verb).find((e) => e.name === 'Body');
      const text = textOf(bodyEl ?? verb);
      const record = this.store('outbound-reply', verb.attrs.from ?? ours, verb.attrs.to ?? citizen, text, 'queued', verb.attrs.statusCallback ?? null);
      this.ctx.lifetime.spawn(() => this.deliver(record), this.ctx.onInternalError);
    }
  }

  private async deliver(record: SmsRecord): Promise<void> {
    const behaviour = this.ctx.state.behaviourOf(record.to);
    const outcome = behaviour.sms ?? 'delivered';
    await this.step(record, 'queued');
    if (outcome === 'failed') {
      await this.ctx.lifetime.sleep(this.ctx.options.smsStepMs);
      return this.step(record, 'failed', behaviour.smsErrorCode ?? 30008);
    }
    await this.ctx.lifetime.sleep(this.ctx.options.smsStepMs);
    record.dateSent = nowIso();
    await this.step(record, 'sent');
    await this.ctx.lifetime.sleep(this.ctx.options.smsStepMs);
    if (outcome === 'undelivered') return this.step(record, 'undelivered', behaviour.smsErrorCode ?? 30003);
    await this.step(record, 'delivered');
  }

  private async step(record: SmsRecord, status: SmsStatus, errorCode?: number): Promise<void> {
    record.status = status;
    record.dateUpdated = nowIso();
    if (errorCode !== undefined) {
      record.errorCode = errorCode;
      record.errorMessage = TWILIO_ERROR_MESSAGES[errorCode] ?? null;
    }
    this.ctx.state.changed('sms', [record.to, record.from], record.sid);
    if (!record.statusCallback) return;
    const params: Record<string, string> = {
      SmsSid: record.sid,
      SmsStatus: status,
      MessageStatus: status,
      To: record.to,
      MessageSid: record.sid,
      AccountSid: record.accountSid,
      From: record.from,
      ApiVersion: '2010-04-01',
    };
    if (errorCode !== undefined) params.ErrorCode = String(errorCode);
    if (status === 'delivered') params.RawDlrDoneDate = rawDlrDate(new Date());
    await this.ctx.sender.twilio('sms-status', record.statusCallback, params, record.sid);
  }

  private store(direction: SmsRecord['direction'], from: string, to: string, body: string, status: SmsStatus, statusCallback: string | null): SmsRecord {
    const now = nowIso();
    const record: SmsRecord = {
      seq: this.ctx.state.nextSeq(),
      sid: twilioSid('SM'),
      accountSid: this.ctx.options.twilio.accountSid,
      direction,
      from,
      to,
      body,
      numSegments: segmentCount(body),
      status,
      errorCode: null,
      errorMessage: null,
      statusCallback,
      dateCreated: now,
      dateUpdated: now,
      dateSent: status === 'delivered' || status === 'received' ? now : null,
    };
    this.ctx.state.messages.push(record);
    this.ctx.state.changed('sms', [to, from], record.sid);
    return record;
  }

  private setOptedOut(phone: string, optedOut: boolean): void {
    this.ctx.state.behaviours.set(phone, { ...this.ctx.state.behaviourOf(phone), optedOut });
    this.ctx.state.changed('behaviour', [phone], phone);
  }

  /** The app number that last wrote to this citizen: replying goes back to it, as on a real handset. */
  private lastSenderTo(citizen: string): string | undefined {
    for (let i = this.ctx.state.messages.length - 1; i >= 0; i--) {
      const m = this.ctx.state.messages[i];
      if (m.to === citizen && m.direction !== 'inbound') return m.from;
    }
    return undefined;
  }
}

/** Carriers' delivery-receipt timestamp, YYMMDDhhmm. */
function rawDlrDate(d: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}`;
}
