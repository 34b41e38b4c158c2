// PhoneControl: how tests and the citizen page play the citizens' side of the network. The same
// interface works in-process (LocalPhoneControl) and over HTTP (HttpPhoneControl → /_control/rpc/…).
import type { NetworkContext } from './context';
import { addFault } from './faults';
import { snapshot } from './state';
import type { SmsEngine } from './sms';
import type { TelegramEngine } from './telegram';
import type { GatherInput } from './voice-live';
import type { VoiceEngine } from './voice';
import type { RecordingEngine } from './recordings';
import type {
  ApiRequestLogEntry,
  Behaviour,
  CallRecord,
  CallStatus,
  CallbackLogEntry,
  ConferenceRecord,
  FaultSpec,
  GatherPrompt,
  InboxItem,
  RecordingRecord,
  NumberSummary,
  SmsRecord,
  TelegramBehaviour,
  TelegramChatRecord,
  TelegramMessageRecord,
} from './types';

export type { GatherInput };

export interface WaitOptions {
  /** default 5000 */
  timeoutMs?: number;
  /** only a message whose text contains this */
  contains?: string;
}

export interface CallbackMatch {
  /** CallSid, MessageSid or update_id */
  ref?: string;
  kind?: CallbackLogEntry['kind'];
  /** CallStatus, MessageStatus or RecordingStatus of the callback */
  status?: string;
}

export interface ConferenceWait {
  /** default 5000 */
  timeoutMs?: number;
  /** resolve once this many participants are connected at the same time */
  connected?: number;
  /** resolve once the room has this status */
  status?: ConferenceRecord['status'];
}

export interface TelegramProfile {
  firstName?: string;
  username?: string;
  languageCode?: string;
}

export interface PhoneControl {
  /** Replace the behaviour of the phone behind a number (see Behaviour for the defaults). */
  setBehaviour(phone: string, behaviour: Behaviour): Promise<void>;
  behaviour(phone: string): Promise<Behaviour>;
  setTelegramBehaviour(chatId: number, behaviour: TelegramBehaviour): Promise<void>;
  /** Make the fake Twilio or Telegram API fail the next `count` matching requests. */
  injectFault(spec: FaultSpec): Promise<void>;
  /** SMS to and from this number, voicemails left on it, and Telegram messages of chats linked to it. */
  inbox(phone: string): Promise<InboxItem[]>;
  /** Calls to and from this number, oldest first. */
  calls(phone: string): Promise<CallRecord[]>;
  call(callSid: string): Promise<CallRecord>;
  /** Recordings of a call (record=true), deleted ones included with deletedAt set. */
  recordings(callSid: string): Promise<RecordingRecord[]>;
  message(messageSid: string): Promise<SmsRecord>;
  telegramChat(chatId: number): Promise<{ chat: TelegramChatRecord | null; messages: TelegramMessageRecord[] }>;
  /** Every number and chat with activity or a behaviour, most recent first. */
  numbers(): Promise<NumberSummary[]>;
  /** Webhooks the network sent to the app, oldest first, with the status the app answered. */
  callbacks(match?: CallbackMatch): Promise<CallbackLogEntry[]>;
  apiRequests(): Promise<ApiRequestLogEntry[]>;
  /** Send a logged webhook again, byte for byte (same signature), as providers re-deliver. */
  redeliver(callbackId: number): Promise<CallbackLogEntry>;
  /** The citizen texts the app (to: default the app number that last wrote to them). Resolves after the webhook. */
  sendSms(from: string, body: string, opts?: { to?: string }): Promise<SmsRecord>;
  /** The citizen calls the app's number; follow with waitForGather(). */
  placeCall(from: string, opts?: { to?: string }): Promise<CallRecord>;
  answerCall(callSid: string, opts?: { machine?: boolean }): Promise<void>;
  rejectCall(callSid: string): Promise<void>;
  hangUp(callSid: string): Promise<void>;
  /** The citizen speaks (speech, confidence 0..1) or presses keys (digits) at the waiting <Gather>. */
  answerGather(callSid: string, input: GatherInput): Promise<void>;
  /** The citizen stays silent: the waiting <Gather> times out now. */
  silence(callSid: string): Promise<void>;
  /** The dialled party (e.g. the desk) hangs up, ending the <Dial>. */
  endDial(callSid: string): Promise<void>;
  /** The citizen writes to the bot. Resolves after the first delivery attempt when a webhook is set. */
  sendTelegram(chatId: number, text: string, profile?: TelegramProfile): Promise<TelegramMessageRecord>;
  /** The citizen taps an inline button; resolves with the callback query id after the first delivery attempt. */
  pressButton(chatId: number, messageId: number, data: string): Promise<string>;
  /** The citizen taps a request_contact button: the bot gets their own contact (number without '+'). */
  shareContact(chatId: number, phone: string): Promise<TelegramMessageRecord>;
  /** The next SMS delivered to this number (each call waits for one newer than the last it returned). */
  waitForSms(phone: string, opts?: WaitOptions): Promise<SmsRecord>;
  /** The next call ringing at this number. */
  waitForCall(phone: string, opts?: WaitOptions): Promise<CallRecord>;
  /** The call waiting at a <Gather>; fails if the call ends first. */
  waitForGather(callSid: string, opts?: WaitOptions): Promise<GatherPrompt>;
  waitForCallEnd(callSid: string, opts?: WaitOptions): Promise<CallRecord>;
  /** The next bot message in this chat. */
  waitForTelegram(chatId: number, opts?: WaitOptions): Promise<TelegramMessageRecord>;
  waitForCallback(match: CallbackMatch, opts?: WaitOptions): Promise<CallbackLogEntry>;
  /** Conference rooms, oldest first, with every participant they had. */
  conferences(): Promise<ConferenceRecord[]>;
  /** The newest room of this friendly name (or with this sid) once it is as asked (connected count, status). */
  waitForConference(nameOrSid: string, opts?: ConferenceWait): Promise<ConferenceRecord>;
  /** Forget everything (records, behaviours, faults, logs); the Telegram webhook stays registered. */
  reset(): Promise<void>;
}

const DEFAULT_WAIT_MS = 5000;
const FINAL: CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];

export interface NetworkEngines {
  ctx: NetworkContext;
  sms: SmsEngine;
  voice: VoiceEngine;
  telegram: TelegramEngine;
  recordings: RecordingEngine;
}

function excerpt(text: string | null): string {
  const t = text ?? '';
  return JSON.stringify(t.length > 60 ? `${t.slice(0, 57)}…` : t);
}

export class LocalPhoneControl implements PhoneControl {
  constructor(private readonly n: NetworkEngines) {}

  private get state() {
    return this.n.ctx.state;
  }

  async setBehaviour(phone: string, behaviour: Behaviour): Promise<void> {
    this.state.behaviours.set(phone, { ...behaviour });
    this.state.changed('behaviour', [phone], phone);
  }

  async behaviour(phone: string): Promise<Behaviour> {
    return snapshot(this.state.behaviourOf(phone));
  }

  async setTelegramBehaviour(chatId: number, behaviour: TelegramBehaviour): Promise<void> {
    this.state.telegramBehaviours.set(chatId, { ...behaviour });
    this.state.changed('behaviour', [`tg:${chatId}`], String(chatId));
  }

  async injectFault(spec: FaultSpec): Promise<void> {
    addFault(this.state, spec);
  }

  async inbox(phone: string): Promise<InboxItem[]> {
    return snapshot(this.inboxOf(phone));
  }

  async calls(phone: string): Promise<CallRecord[]> {
    return snapshot(this.state.calls.filter((c) => c.to === phone || c.from === phone));
  }

  async call(callSid: string): Promise<CallRecord> {
    const c = this.state.call(callSid);
    if (!c) throw new Error(`no call ${callSid} on the phone network`);
    return snapshot(c);
  }

  async recordings(callSid: string): Promise<RecordingRecord[]> {
    return snapshot(this.n.recordings.forCall(callSid));
  }

  async message(messageSid: string): Promise<SmsRecord> {
    const m = this.state.message(messageSid);
    if (!m) throw new Error(`no message ${messageSid} on the phone network`);
    return snapshot(m);
  }

  async telegramChat(chatId: number) {
    return snapshot({
      chat: this.state.telegramChats.get(chatId) ?? null,
      messages: this.state.telegramMessages.filter((m) => m.chatId === chatId),
    });
  }

  async numbers(): Promise<NumberSummary[]> {
    return snapshot(this.summaries());
  }

  async callbacks(match: CallbackMatch = {}): Promise<CallbackLogEntry[]> {
    return snapshot(this.state.callbacks.filter((c) => matches(c, match)));
  }

  async apiRequests(): Promise<ApiRequestLogEntry[]> {
    return snapshot(this.state.apiRequests);
  }

  async redeliver(callbackId: number): Promise<CallbackLogEntry> {
    return snapshot(await this.n.ctx.sender.redeliver(callbackId));
  }

  async sendSms(from: string, body: string, opts: { to?: string } = {}): Promise<SmsRecord> {
    return snapshot(await this.n.sms.citizenSends(from, body, opts.to));
  }

  async placeCall(from: string, opts: { to?: string } = {}): Promise<CallRecord> {
    return snapshot(this.n.voice.citizenCalls(from, opts.to));
  }

  async answerCall(callSid: string, opts: { machine?: boolean } = {}): Promise<void> {
    this.n.voice.answer(callSid, opts);
  }

  async rejectCall(callSid: string): Promise<void> {
    this.n.voice.reject(callSid);
  }

  async hangUp(callSid: string): Promise<void> {
    this.n.voice.hangUp(callSid);
  }

  async answerGather(callSid: string, input: GatherInput): Promise<void> {
    this.n.voice.answerGather(callSid, input);
  }

  async silence(callSid: string): Promise<void> {
    this.n.voice.silence(callSid);
  }

  async endDial(callSid: string): Promise<void> {
    this.n.voice.endDial(callSid);
  }

  async sendTelegram(chatId: number, text: string, profile: TelegramProfile = {}): Promise<TelegramMessageRecord> {
    const before = this.state.callbacks.length;
    const record = this.n.telegram.citizenSends(chatId, text, profile);
    await this.firstDelivery(before);
    return snapshot(record);
  }

  async pressButton(chatId: number, messageId: number, data: string): Promise<string> {
    const before = this.state.callbacks.length;
    const id = this.n.telegram.pressButton(chatId, messageId, data);
    await this.firstDelivery(before);
    return id;
  }

  async shareContact(chatId: number, phone: string): Promise<TelegramMessageRecord> {
    const before = this.state.callbacks.length;
    const record = this.n.telegram.shareContact(chatId, phone);
    await this.firstDelivery(before);
    return snapshot(record);
  }

  async waitForSms(phone: string, opts: WaitOptions = {}): Promise<SmsRecord> {
    const cursor = `sms:${phone}`;
    const after = this.state.cursors.get(cursor) ?? 0;
    const found = await this.state.waitUntil(
      () =>
        this.state.messages.find(
          (m) => m.to === phone && m.direction !== 'inbound' && m.seq > after && m.status === 'delivered' && (!opts.contains || m.body.includes(opts.contains)),
        ),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForSms(${phone}${opts.contains ? `, containing ${JSON.stringify(opts.contains)}` : ''})`,
      () => {
        const mine = this.state.messages.filter((m) => m.to === phone && m.direction !== 'inbound');
        const lines = mine.map((m) => `  #${m.seq} ${m.status}${m.seq <= after ? ' (already returned)' : ''} from ${m.from}: ${excerpt(m.body)}`);
        const others = [...new Set(this.state.messages.filter((m) => m.to !== phone && m.direction !== 'inbound').map((m) => m.to))];
        return (
          (lines.length ? `SMS to ${phone}:\n${lines.join('\n')}` : `No SMS to ${phone} at all.`) +
          (others.length ? `\nSMS went to other numbers: ${others.join(', ')}` : '')
        );
      },
    );
    this.state.cursors.set(cursor, found.seq);
    return snapshot(found);
  }

  async waitForCall(phone: string, opts: WaitOptions = {}): Promise<CallRecord> {
    const cursor = `call:${phone}`;
    const after = this.state.cursors.get(cursor) ?? 0;
    const found = await this.state.waitUntil(
      () => this.state.calls.find((c) => c.to === phone && c.direction === 'outbound-api' && c.seq > after && c.status !== 'queued' && c.status !== 'initiated'),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForCall(${phone})`,
      () => {
        const mine = this.state.calls.filter((c) => c.to === phone);
        const others = [...new Set(this.state.calls.filter((c) => c.to !== phone).map((c) => c.to))];
        return (
          (mine.length
            ? `Calls to ${phone}: ${mine.map((c) => `#${c.seq} ${c.sid} ${c.status}${c.seq <= after ? ' (already returned)' : ''}`).join('; ')}`
            : `No call to ${phone} at all.`) + (others.length ? ` Calls went to: ${others.join(', ')}` : '')
        );
      },
    );
    this.state.cursors.set(cursor, found.seq);
    return snapshot(found);
  }

  async waitForGather(callSid: string, opts: WaitOptions = {}): Promise<GatherPrompt> {
    const found = await this.state.waitUntil(
      () => {
        const c = this.state.call(callSid);
        if (!c) throw new Error(`waitForGather: no call ${callSid}`);
        if (c.gather) return c.gather;
        if (FINAL.includes(c.status)) throw new Error(`waitForGather(${callSid}): the call ended (${c.status}) without waiting at a <Gather>. ${this.transcriptOf(c)}`);
        return undefined;
      },
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForGather(${callSid})`,
      () => {
        const c = this.state.call(callSid);
        return c ? `The call is ${c.status}. ${this.transcriptOf(c)}` : '';
      },
    );
    return snapshot(found);
  }

  async waitForCallEnd(callSid: string, opts: WaitOptions = {}): Promise<CallRecord> {
    const found = await this.state.waitUntil(
      () => {
        const c = this.state.call(callSid);
        if (!c) throw new Error(`waitForCallEnd: no call ${callSid}`);
        return FINAL.includes(c.status) ? c : undefined;
      },
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForCallEnd(${callSid})`,
      () => {
        const c = this.state.call(callSid);
        return c ? `The call is still ${c.status}${c.gather ? ', waiting at a <Gather>' : ''}. ${this.transcriptOf(c)}` : '';
      },
    );
    return snapshot(found);
  }

  async waitForTelegram(chatId: number, opts: WaitOptions = {}): Promise<TelegramMessageRecord> {
    const cursor = `tg:${chatId}`;
    const after = this.state.cursors.get(cursor) ?? 0;
    const found = await this.state.waitUntil(
      () =>
        this.state.telegramMessages.find(
          (m) => m.chatId === chatId && m.from === 'bot' && m.seq > after && (!opts.contains || (m.text ?? '').includes(opts.contains)),
        ),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForTelegram(${chatId}${opts.contains ? `, containing ${JSON.stringify(opts.contains)}` : ''})`,
      () => {
        const mine = this.state.telegramMessages.filter((m) => m.chatId === chatId);
        const lines = mine.map((m) => `  #${m.seq} ${m.from}${m.seq <= after && m.from === 'bot' ? ' (already returned)' : ''}: ${excerpt(m.text ?? (m.contact ? '[contact]' : ''))}`);
        const updates = this.state.callbacks.filter((c) => c.provider === 'telegram');
        const failed = updates.filter((c) => c.status < 200 || c.status >= 300);
        return (
          (lines.length ? `Chat ${chatId}:\n${lines.join('\n')}` : `Nothing in chat ${chatId}.`) +
          `\n${updates.length} update(s) delivered to the bot, ${failed.length} not accepted` +
          (failed.length ? ` (last: ${failed[failed.length - 1].status || failed[failed.length - 1].error})` : '') +
          (this.n.telegram.webhookInfo().url ? '' : '; no webhook set (updates wait for getUpdates)')
        );
      },
    );
    this.state.cursors.set(cursor, found.seq);
    return snapshot(found);
  }

  async waitForCallback(match: CallbackMatch, opts: WaitOptions = {}): Promise<CallbackLogEntry> {
    const found = await this.state.waitUntil(
      () => this.state.callbacks.find((c) => c.status !== -1 && matches(c, match)),
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForCallback(${JSON.stringify(match)})`,
      () => {
        const related = this.state.callbacks.filter((c) => !match.ref || c.ref === match.ref);
        return related.length
          ? `Callbacks${match.ref ? ` for ${match.ref}` : ''}: ${related.map((c) => `#${c.id} ${c.kind} ${statusParam(c) ?? ''} → ${c.status}`).join('; ')}`
          : `No callbacks${match.ref ? ` for ${match.ref}` : ''} at all.`;
      },
    );
    return snapshot(found);
  }

  async conferences(): Promise<ConferenceRecord[]> {
    return snapshot(this.state.conferences);
  }

  async waitForConference(nameOrSid: string, opts: ConferenceWait = {}): Promise<ConferenceRecord> {
    const newest = () => [...this.state.conferences].reverse().find((c) => c.sid === nameOrSid || c.friendlyName === nameOrSid);
    const found = await this.state.waitUntil(
      () => {
        const c = newest();
        if (!c) return undefined;
        const connected = c.participants.filter((p) => p.status === 'connected').length;
        if (opts.connected !== undefined && connected < opts.connected) return undefined;
        if (opts.status !== undefined && c.status !== opts.status) return undefined;
        return c;
      },
      opts.timeoutMs ?? DEFAULT_WAIT_MS,
      `waitForConference(${nameOrSid}${opts.connected !== undefined ? `, ${opts.connected} connected` : ''}${opts.status ? `, ${opts.status}` : ''})`,
      () => {
        const c = newest();
        if (!c) return `No conference ${nameOrSid}; rooms: ${this.state.conferences.map((x) => x.friendlyName).join(', ') || 'none'}.`;
        return `Conference ${c.friendlyName} is ${c.status}; participants: ${c.participants.map((p) => `${p.label ?? p.number} ${p.status}`).join(', ') || 'none'}.`;
      },
    );
    return snapshot(found);
  }

  async reset(): Promise<void> {
    this.state.reset();
  }

  // ---- helpers ------------------------------------------------------------------------------------

  /** Wait until the update just queued got its first answer from the bot (only when a webhook is set). */
  private async firstDelivery(logLengthBefore: number): Promise<void> {
    if (!this.n.telegram.webhookInfo().url) return;
    await this.state.waitUntil(
      () => (this.state.callbacks.slice(logLengthBefore).some((c) => c.provider === 'telegram' && c.status !== -1) ? true : undefined),
      35_000,
      'telegram update delivery',
      () => 'the bot did not answer the webhook',
    );
    // Let the delivery loop finish its bookkeeping (queue, last error) before the caller looks.
    await new Promise((resolve) => setImmediate(resolve));
  }

  private transcriptOf(c: CallRecord): string {
    const said = c.transcript
      .filter((e) => e.kind !== 'status')
      .map((e) => (e.kind === 'say' ? `said ${excerpt(e.text)}` : e.kind === 'error' ? `error ${e.code}: ${e.message}` : e.kind))
      .slice(-8);
    return said.length ? `Transcript: ${said.join(' | ')}` : 'Nothing happened on the line.';
  }

  private inboxOf(phone: string): InboxItem[] {
    const items: InboxItem[] = [];
    for (const m of this.state.messages) {
      if (m.to === phone && m.direction !== 'inbound')
        items.push({ seq: m.seq, at: m.dateCreated, channel: 'sms', direction: 'to-citizen', peer: m.from, text: m.body, status: m.status, ref: m.sid });
      else if (m.from === phone && m.direction === 'inbound')
        items.push({ seq: m.seq, at: m.dateCreated, channel: 'sms', direction: 'from-citizen', peer: m.to, text: m.body, status: m.status, ref: m.sid });
    }
    for (const c of this.state.calls) {
      if (c.to === phone && c.voicemail && c.voicemail.length && FINAL.includes(c.status))
        items.push({ seq: c.seq, at: c.endTime ?? c.dateCreated, channel: 'voicemail', direction: 'to-citizen', peer: c.from, text: c.voicemail.join(' '), status: 'delivered', ref: c.sid });
    }
    const chats = [...this.state.telegramChats.values()].filter((ch) => ch.phone === phone).map((ch) => ch.chatId);
    for (const m of this.state.telegramMessages) {
      if (!chats.includes(m.chatId)) continue;
      items.push({
        seq: m.seq,
        at: m.date,
        channel: 'telegram',
        direction: m.from === 'bot' ? 'to-citizen' : 'from-citizen',
        peer: `tg:${m.chatId}`,
        text: m.text ?? (m.contact ? `[shared contact ${m.contact.phoneNumber}]` : ''),
        status: 'delivered',
        ref: `${m.chatId}/${m.messageId}`,
        chatId: m.chatId,
        messageId: m.messageId,
        inlineKeyboard: m.inlineKeyboard,
      });
    }
    return items.sort((a, b) => a.seq - b.seq);
  }

  private summaries(): NumberSummary[] {
    const appNumbers = new Set<string>([this.n.ctx.options.twilio.phoneNumber]);
    for (const m of this.state.messages) if (m.direction !== 'inbound') appNumbers.add(m.from);
    for (const c of this.state.calls) if (c.direction === 'outbound-api') appNumbers.add(c.from);
    const rows = new Map<string, NumberSummary>();
    const row = (key: string, phone: string | null, at: string): NumberSummary => {
      let r = rows.get(key);
      if (!r) {
        r = { key, phone, telegramChatIds: [], sms: 0, calls: 0, telegram: 0, ringing: false, waitingGather: false, lastActivity: at, behaviour: phone ? this.state.behaviourOf(phone) : {}, desk: !!phone && this.n.ctx.options.deskPhones.includes(phone) };
        rows.set(key, r);
      }
      if (at > r.lastActivity) r.lastActivity = at;
      return r;
    };
    for (const [phone, b] of this.state.behaviours) if (!appNumbers.has(phone)) row(phone, phone, '').behaviour = b;
    for (const phone of this.n.ctx.options.deskPhones) row(phone, phone, '');
    for (const m of this.state.messages) {
      const citizen = m.direction === 'inbound' ? m.from : m.to;
      if (!appNumbers.has(citizen) || m.direction === 'inbound') row(citizen, citizen, m.dateUpdated).sms++;
    }
    for (const c of this.state.calls) {
      const citizen = c.direction === 'inbound' ? c.from : c.to;
      const r = row(citizen, citizen, c.dateUpdated);
      r.calls++;
      if (c.status === 'ringing' && c.direction === 'outbound-api') r.ringing = true;
      if (c.gather) r.waitingGather = true;
    }
    for (const m of this.state.telegramMessages) {
      const chat = this.state.telegramChats.get(m.chatId);
      const key = chat?.phone ?? `tg:${m.chatId}`;
      const r = row(key, chat?.phone ?? null, m.date);
      r.telegram++;
      if (!r.telegramChatIds.includes(m.chatId)) r.telegramChatIds.push(m.chatId);
    }
    // Desk phones first: the person playing the desk finds theirs at the top.
    return [...rows.values()].sort((a, b) => (a.desk !== b.desk ? (a.desk ? -1 : 1) : a.lastActivity < b.lastActivity ? 1 : -1));
  }
}

function statusParam(c: CallbackLogEntry): string | undefined {
  const p = c.params as Record<string, unknown>;
  return (p.CallStatus ?? p.MessageStatus ?? p.SmsStatus ?? p.RecordingStatus) as string | undefined;
}

function matches(c: CallbackLogEntry, m: CallbackMatch): boolean {
  return (!m.ref || c.ref === m.ref) && (!m.kind || c.kind === m.kind) && (!m.status || statusParam(c) === m.status);
}

/** The same control, over HTTP, for tests in another process and for tools. */
export class HttpPhoneControl implements PhoneControl {
  constructor(private readonly baseUrl: string) {}

  private async rpc<T>(method: keyof PhoneControl, ...args: unknown[]): Promise<T> {
    const res = await fetch(`${this.baseUrl.replace(/\/$/, '')}/_control/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ args }),
    });
    const body = (await res.json()) as { result?: T; error?: string };
    if (!res.ok) throw new Error(body.error ?? `phone network answered ${res.status} to ${method}`);
    return body.result as T;
  }

  setBehaviour(phone: string, behaviour: Behaviour) { return this.rpc<void>('setBehaviour', phone, behaviour); }
  behaviour(phone: string) { return this.rpc<Behaviour>('behaviour', phone); }
  setTelegramBehaviour(chatId: number, behaviour: TelegramBehaviour) { return this.rpc<void>('setTelegramBehaviour', chatId, behaviour); }
  injectFault(spec: FaultSpec) { return this.rpc<void>('injectFault', spec); }
  inbox(phone: string) { return this.rpc<InboxItem[]>('inbox', phone); }
  calls(phone: string) { return this.rpc<CallRecord[]>('calls', phone); }
  call(callSid: string) { return this.rpc<CallRecord>('call', callSid); }
  recordings(callSid: string) { return this.rpc<RecordingRecord[]>('recordings', callSid); }
  message(messageSid: string) { return this.rpc<SmsRecord>('message', messageSid); }
  telegramChat(chatId: number) { return this.rpc<{ chat: TelegramChatRecord | null; messages: TelegramMessageRecord[] }>('telegramChat', chatId); }
  numbers() { return this.rpc<NumberSummary[]>('numbers'); }
  callbacks(match?: CallbackMatch) { return this.rpc<CallbackLogEntry[]>('callbacks', match ?? {}); }
  apiRequests() { return this.rpc<ApiRequestLogEntry[]>('apiRequests'); }
  redeliver(callbackId: number) { return this.rpc<CallbackLogEntry>('redeliver', callbackId); }
  sendSms(from: string, body: string, opts?: { to?: string }) { return this.rpc<SmsRecord>('sendSms', from, body, opts ?? {}); }
  placeCall(from: string, opts?: { to?: string }) { return this.rpc<CallRecord>('placeCall', from, opts ?? {}); }
  answerCall(callSid: string, opts?: { machine?: boolean }) { return this.rpc<void>('answerCall', callSid, opts ?? {}); }
  rejectCall(callSid: string) { return this.rpc<void>('rejectCall', callSid); }
  hangUp(callSid: string) { return this.rpc<void>('hangUp', callSid); }
  answerGather(callSid: string, input: GatherInput) { return this.rpc<void>('answerGather', callSid, input); }
  silence(callSid: string) { return this.rpc<void>('silence', callSid); }
  endDial(callSid: string) { return this.rpc<void>('endDial', callSid); }
  sendTelegram(chatId: number, text: string, profile?: TelegramProfile) { return this.rpc<TelegramMessageRecord>('sendTelegram', chatId, text, profile ?? {}); }
  pressButton(chatId: number, messageId: number, data: string) { return this.rpc<string>('pressButton', chatId, messageId, data); }
  shareContact(chatId: number, phone: string) { return this.rpc<TelegramMessageRecord>('shareContact', chatId, phone); }
  waitForSms(phone: string, opts?: WaitOptions) { return this.rpc<SmsRecord>('waitForSms', phone, opts ?? {}); }
  waitForCall(phone: string, opts?: WaitOptions) { return this.rpc<CallRecord>('waitForCall', phone, opts ?? {}); }
  waitForGather(callSid: string, opts?: WaitOptions) { return this.rpc<GatherPrompt>('waitForGather', callSid, opts ?? {}); }
  waitForCallEnd(callSid: string, opts?: WaitOptions) { return this.rpc<CallRecord>('waitForCallEnd', callSid, opts ?? {}); }
  waitForTelegram(chatId: number, opts?: WaitOptions) { return this.rpc<TelegramMessageRecord>('waitForTelegram', chatId, opts ?? {}); }
  waitForCallback(match: CallbackMatch, opts?: WaitOptions) { return this.rpc<CallbackLogEntry>('waitForCallback', match, opts ?? {}); }
  conferences() { return this.rpc<ConferenceRecord[]>('conferences'); }
  waitForConference(nameOrSid: string, opts?: ConferenceWait) { return this.rpc<ConferenceRecord>('waitForConference', nameOrSid, opts ?? {}); }
  reset() { return this.rpc<void>('reset'); }
}
