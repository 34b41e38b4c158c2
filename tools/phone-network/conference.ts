// Conferences the way Twilio runs them: a call that reaches <Dial><Conference>name</Conference></Dial> joins
// the room of that name (made when the first participant arrives); the Participants API dials a number into
// a room by name or sid; the room starts when a participant with startConferenceOnEnter joins and ends when
// one with endConferenceOnExit leaves, when the last one leaves, or when the API completes it. Status
// callbacks (conference-start, participant-join, participant-leave, conference-end, mute, hold) are signed
// like every other webhook.
import type { NetworkContext } from './context';
import { twilioSid } from './sids';
import { nowIso } from './state';
import { rfc2822 } from './twilio-format';
import { TwilioRefusal } from './twilio-refusal';
import { textOf, type XmlElement } from './twiml';
import type { LiveCall, Wakeup } from './voice-live';
import type { VoiceEngine } from './voice';
import type { CallRecord, ConferenceRecord, ParticipantRecord } from './types';

export interface ParticipantParams {
  From?: string;
  To?: string;
  Label?: string;
  StatusCallback?: string;
  StatusCallbackEvent?: string | string[];
  StatusCallbackMethod?: string;
  Timeout?: string;
  Muted?: string;
  StartConferenceOnEnter?: string;
  EndConferenceOnExit?: string;
  ConferenceStatusCallback?: string;
  ConferenceStatusCallbackEvent?: string | string[];
  ConferenceStatusCallbackMethod?: string;
}

const EVENT_NAMES: Record<string, string> = {
  start: 'conference-start',
  end: 'conference-end',
  join: 'participant-join',
  leave: 'participant-leave',
  mute: 'participant-mute',
  hold: 'participant-hold',
};

const words = (v: string | string[] | undefined): string[] => ([] as string[]).concat(v ?? []).flatMap((e) => e.split(/[\s,]+/)).filter(Boolean);
const flag = (v: string | undefined, fallback: boolean): boolean => (v === undefined ? fallback : v.toLowerCase() === 'true');
const method = (v: string | undefined): 'POST' | 'GET' => (v?.toUpperCase() === 'GET' ? 'GET' : 'POST');

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

export class ConferenceEngine {
  /** Calls in a room now, by call sid: how a kick or the room's end reaches them. */
  private readonly inRoom = new Map<string, LiveCall>();
  private readonly sequence = new Map<string, number>();
  /** Callbacks of one room go out one after the other, in the order of their SequenceNumber. */
  private readonly outbox = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: NetworkContext,
    private readonly voice: VoiceEngine,
  ) {}

  /** An active room by sid (CF…) or friendly name. */
  find(sidOrName: string): ConferenceRecord | undefined {
    const all = this.ctx.state.conferences;
    if (/^CF[0-9a-f]{32}$/.test(sidOrName)) return all.find((c) => c.sid === sidOrName);
    return all.find((c) => c.friendlyName === sidOrName && c.status !== 'completed');
  }

  private open(name: string, callback: { url?: string; events?: string[]; method?: string }): ConferenceRecord {
    const existing = this.find(name);
    if (existing && existing.status !== 'completed') {
      // The first participant that gives a status callback sets it for the room.
      if (!existing.statusCallback && callback.url) Object.assign(existing, { statusCallback: callback.url, statusCallbackEvents: callback.events?.length ? callback.events : ['start', 'end'], statusCallbackMethod: method(callback.method) });
      return existing;
    }
    const now = nowIso();
    const conf: ConferenceRecord = {
      seq: this.ctx.state.nextSeq(),
      sid: twilioSid('CF'),
      accountSid: this.ctx.options.twilio.accountSid,
      friendlyName: name,
      status: 'init',
      dateCreated: now,
      dateUpdated: now,
      reasonConferenceEnded: null,
      callSidEndingConference: null,
      statusCallback: callback.url ?? null,
      statusCallbackMethod: method(callback.method),
      statusCallbackEvents: callback.events?.length ? callback.events : ['start', 'end'],
      participants: [],
    };
    this.ctx.state.conferences.push(conf);
    this.changed(conf);
    return conf;
  }

  /** POST /Conferences/{sid or name}/Participants.json: dial a number into the room. */
  addParticipant(sidOrName: string, p: ParticipantParams): { conference: ConferenceRecord; participant: ParticipantRecord } {
    if (!p.From) throw new TwilioRefusal(400, 21213, "No 'From' number is specified");
    if (!p.To) throw new TwilioRefusal(400, 21201, "No 'To' number is specified");
    const isSid = /^CF[0-9a-f]{32}$/.test(sidOrName);
    const found = this.find(sidOrName);
    if (isSid && (!found || found.status === 'completed'))
      throw new TwilioRefusal(404, 20404, `The requested resource /2010-04-01/Accounts/${this.ctx.options.twilio.accountSid}/Conferences/${sidOrName}/Participants.json was not found`);
    const conf = found ?? this.open(sidOrName, { url: p.ConferenceStatusCallback, events: words(p.ConferenceStatusCallbackEvent), method: p.ConferenceStatusCallbackMethod });
    if (!conf.statusCallback && p.ConferenceStatusCallback) this.open(conf.friendlyName, { url: p.ConferenceStatusCallback, events: words(p.ConferenceStatusCallbackEvent), method: p.ConferenceStatusCallbackMethod });
    const call = this.voice.create({
      To: p.To,
      From: p.From,
      Twiml: `<Response><Dial><Conference>${escapeXml(conf.friendlyName)}</Conference></Dial></Response>`,
      StatusCallback: p.StatusCallback,
      StatusCallbackEvent: p.StatusCallbackEvent,
      StatusCallbackMethod: p.StatusCallbackMethod,
      Timeout: p.Timeout,
    });
    const now = nowIso();
    const participant: ParticipantRecord = {
      callSid: call.sid,
      number: call.to,
      label: p.Label ?? null,
      status: 'queued',
      muted: flag(p.Muted, false),
      hold: false,
      startConferenceOnEnter: flag(p.StartConferenceOnEnter, true),
      endConferenceOnExit: flag(p.EndConferenceOnExit, false),
      dateCreated: now,
      dateUpdated: now,
      joinedAt: null,
      leftAt: null,
      leftBecause: null,
    };
    conf.participants.push(participant);
    this.changed(conf);
    return { conference: conf, participant };
  }

  /** <Dial><Conference>: the call joins the room and stays until it leaves, is kicked, or the room ends. */
  async join(live: LiveCall, element: XmlElement): Promise<Wakeup> {
    const a = element.attrs;
    const conf = this.open(textOf(element), { url: a.statusCallback, events: words(a.statusCallbackEvent), method: a.statusCallbackMethod });
    const call = live.record;
    let participant = conf.participants.find((x) => x.callSid === call.sid);
    if (!participant) {
      participant = {
        callSid: call.sid,
        number: call.direction === 'inbound' ? call.from : call.to,
        label: a.participantLabel ?? null,
        status: 'queued',
        muted: flag(a.muted, false),
        hold: false,
        startConferenceOnEnter: flag(a.startConferenceOnEnter, true),
        endConferenceOnExit: flag(a.endConferenceOnExit, false),
        dateCreated: nowIso(),
        dateUpdated: nowIso(),
        joinedAt: null,
        leftAt: null,
        leftBecause: null,
      };
      conf.participants.push(participant);
    }
    Object.assign(participant, { status: 'connected', joinedAt: nowIso(), dateUpdated: nowIso() });
    this.inRoom.set(call.sid, live);
    call.connectedTo = `conference:${conf.friendlyName}`;
    if (conf.status === 'init' && participant.startConferenceOnEnter) {
      conf.status = 'in-progress';
      conf.dateUpdated = nowIso();
      await this.event(conf, 'start');
    }
    this.changed(conf);
    await this.event(conf, 'join', participant);

    const w = await live.wait('dial', null);
    this.inRoom.delete(call.sid);
    call.connectedTo = null;
    const because =
      w.type === 'dial-end' ? (w.status === 'kicked' ? 'participant_was_kicked' : 'conference_ended') : w.type === 'hangup' && w.by === 'citizen' ? 'participant_hung_up' : 'participant_updated_via_api';
    Object.assign(participant, { status: 'complete', leftAt: nowIso(), leftBecause: because, dateUpdated: nowIso() });
    this.changed(conf);
    await this.event(conf, 'leave', participant);
    if (conf.status !== 'completed') {
      if (participant.endConferenceOnExit) await this.end(conf, 'participant-with-end-conference-on-exit-left', call.sid);
      else if (!conf.participants.some((x) => x.status === 'connected')) await this.end(conf, 'last-participant-left', call.sid);
    }
    return w;
  }

  /** The room ends: every call still in it leaves (and goes on with its TwiML after the <Dial>). */
  async end(conf: ConferenceRecord, reason: string, callSid: string | null): Promise<void> {
    if (conf.status === 'completed') return;
    Object.assign(conf, { status: 'completed', reasonConferenceEnded: reason, callSidEndingConference: callSid, dateUpdated: nowIso() });
    for (const p of conf.participants) {
      if (p.status === 'connected') this.inRoom.get(p.callSid)?.send({ type: 'dial-end', status: 'conference-ended' });
      else if (p.status !== 'complete' && p.status !== 'failed') this.cancelCall(p.callSid);
    }
    this.changed(conf);
    await this.event(conf, 'end');
  }

  /** DELETE /Participants/{callSid}: the call is taken out of the room. */
  kick(conf: ConferenceRecord, callSid: string): void {
    const p = conf.participants.find((x) => x.callSid === callSid && x.status !== 'complete');
    if (!p) throw new TwilioRefusal(404, 20404, `The requested resource /2010-04-01/Accounts/${conf.accountSid}/Conferences/${conf.sid}/Participants/${callSid}.json was not found`);
    const live = this.inRoom.get(callSid);
    if (live) live.send({ type: 'dial-end', status: 'kicked' });
    else this.cancelCall(callSid);
  }

  /** A participant still being dialled: stop ringing (a call that has already ended stays as it was). */
  private cancelCall(callSid: string): void {
    try {
      this.voice.update(callSid, { Status: 'canceled' });
    } catch (e) {
      if (!(e instanceof TwilioRefusal)) throw e;
    }
  }

  /** POST /Participants/{callSid}: mute or hold. */
  async updateParticipant(conf: ConferenceRecord, callSid: string, u: { Muted?: string; Hold?: string }): Promise<ParticipantRecord> {
    const p = conf.participants.find((x) => x.callSid === callSid && x.status !== 'complete');
    if (!p) throw new TwilioRefusal(404, 20404, `The requested resource /2010-04-01/Accounts/${conf.accountSid}/Conferences/${conf.sid}/Participants/${callSid}.json was not found`);
    if (u.Muted !== undefined && flag(u.Muted, p.muted) !== p.muted) {
      p.muted = flag(u.Muted, p.muted);
      await this.event(conf, 'mute', p, p.muted ? 'participant-mute' : 'participant-unmute');
    }
    if (u.Hold !== undefined && flag(u.Hold, p.hold) !== p.hold) {
      p.hold = flag(u.Hold, p.hold);
      await this.event(conf, 'hold', p, p.hold ? 'participant-hold' : 'participant-unhold');
    }
    p.dateUpdated = nowIso();
    this.changed(conf);
    return p;
  }

  /** A participant's call ended without ever joining (not answered, busy, failed): it fails in the room. */
  callEnded(call: CallRecord): void {
    for (const conf of this.ctx.state.conferences) {
      const p = conf.participants.find((x) => x.callSid === call.sid);
      if (!p || p.status === 'complete' || p.status === 'connected') continue;
      Object.assign(p, { status: 'failed', leftAt: nowIso(), leftBecause: `call_${call.status}`, dateUpdated: nowIso() });
      this.changed(conf);
    }
  }

  /** The participant's call is ringing: so is its place in the room. */
  callProgress(call: CallRecord): void {
    for (const conf of this.ctx.state.conferences) {
      const p = conf.participants.find((x) => x.callSid === call.sid);
      if (!p || (p.status !== 'queued' && p.status !== 'ringing' && p.status !== 'connecting')) continue;
      const next = call.status === 'ringing' ? 'ringing' : call.status === 'initiated' ? 'connecting' : p.status;
      if (next !== p.status) {
        Object.assign(p, { status: next, dateUpdated: nowIso() });
        this.changed(conf);
      }
    }
  }

  private async event(conf: ConferenceRecord, kind: keyof typeof EVENT_NAMES, p?: ParticipantRecord, name = EVENT_NAMES[kind]!): Promise<void> {
    if (!conf.statusCallback || !conf.statusCallbackEvents.includes(kind)) return;
    const seq = (this.sequence.get(conf.sid) ?? 0) + 1;
    this.sequence.set(conf.sid, seq);
    const params: Record<string, string> = {
      AccountSid: conf.accountSid,
      ConferenceSid: conf.sid,
      FriendlyName: conf.friendlyName,
      StatusCallbackEvent: name,
      Timestamp: rfc2822(nowIso()) ?? '',
      SequenceNumber: String(seq),
    };
    if (p) {
      Object.assign(params, {
        CallSid: p.callSid,
        Muted: String(p.muted),
        Hold: String(p.hold),
        Coaching: 'false',
        EndConferenceOnExit: String(p.endConferenceOnExit),
        StartConferenceOnEnter: String(p.startConferenceOnEnter),
      });
      if (p.label) params.Label = p.label;
    }
    if (kind === 'leave' && p) Object.assign(params, { ParticipantCallStatus: 'completed', ReasonParticipantLeft: p.leftBecause ?? 'participant_hung_up' });
    if (kind === 'end') {
      params.ReasonConferenceEnded = conf.reasonConferenceEnded ?? '';
      if (conf.callSidEndingConference) params.CallSidEndingConference = conf.callSidEndingConference;
    }
    const url = conf.statusCallback;
    const sent = (this.outbox.get(conf.sid) ?? Promise.resolve()).then(() => this.ctx.sender.twilio('conference-status', url, params, conf.sid, conf.statusCallbackMethod));
    this.outbox.set(conf.sid, sent.catch(() => undefined));
    await sent;
  }

  private changed(conf: ConferenceRecord): void {
    conf.dateUpdated = nowIso();
    this.ctx.state.changed('conference', conf.participants.map((p) => p.number), conf.sid);
  }
}
