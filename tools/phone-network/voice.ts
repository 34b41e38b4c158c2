// Calls both ways: the app's outbound calls (ringing, answering as a person or a machine, status
// callbacks) and citizens calling the app's number. TwiML itself is run by TwimlRunner.
import type { NetworkContext } from './context';
import { twilioSid } from './sids';
import { nowIso, snapshot } from './state';
import { isDialable } from './twilio-format';
import { TwilioRefusal } from './twilio-refusal';
import { TwimlRunner, type RunEnd } from './twiml-runner';
import { LiveCall, type GatherInput, type TwimlSource } from './voice-live';
import { statusCallbackParams } from './voice-params';
import type { CallRecord, CallStatus } from './types';
import type { RecordingEngine, RecordingRequest } from './recordings';
import type { ConferenceEngine } from './conference';

export interface OutboundCallParams extends RecordingRequest {
  To?: string;
  From?: string;
  Url?: string;
  Method?: string;
  Twiml?: string;
  ApplicationSid?: string;
  StatusCallback?: string;
  StatusCallbackEvent?: string | string[];
  StatusCallbackMethod?: string;
  MachineDetection?: string;
  AsyncAmd?: string;
  AsyncAmdStatusCallback?: string;
  AsyncAmdStatusCallbackMethod?: string;
  Timeout?: string;
  FallbackUrl?: string;
  FallbackMethod?: string;
}

export interface CallUpdateParams {
  Status?: string;
  Url?: string;
  Method?: string;
  Twiml?: string;
}

const TERMINAL: CallStatus[] = ['completed', 'busy', 'no-answer', 'failed', 'canceled'];
const EVENT_OF: Partial<Record<CallStatus, string>> = { initiated: 'initiated', ringing: 'ringing', 'in-progress': 'answered' };

function httpMethod(value: string | undefined): 'POST' | 'GET' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

export class CallStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallStateError';
  }
}

export class VoiceEngine {
  private readonly live = new Map<string, LiveCall>();
  private readonly runner: TwimlRunner;
  /** Conference rooms (set by the network once both engines exist). */
  conferences?: ConferenceEngine;

  constructor(
    private readonly ctx: NetworkContext,
    private readonly recordings?: RecordingEngine,
  ) {
    this.runner = new TwimlRunner(ctx, {
      beforeVerb: (live, verb) => {
        // An inbound call is picked up by the first verb that does something other than refuse it.
        if (live.record.status === 'ringing' && verb !== 'Reject') this.setStatus(live, 'in-progress');
      },
      changed: (live) => this.changed(live),
      conference: (live, element) => {
        if (!this.conferences) throw new Error('conferences are not set up on this network');
        return this.conferences.join(live, element);
      },
    });
  }

  /** Validate like Twilio's Calls endpoint, store the call as queued and start dialling; throws TwilioRefusal. */
  create(p: OutboundCallParams): CallRecord {
    const to = p.To?.trim();
    if (!to) throw new TwilioRefusal(400, 21201, "No 'To' number is specified");
    if (!p.From) throw new TwilioRefusal(400, 21213, "No 'From' number is specified");
    if (!p.Url && !p.Twiml && !p.ApplicationSid) throw new TwilioRefusal(400, 21205, 'Url parameter is required.');
    if (p.Url && !/^https?:\/\//.test(p.Url)) throw new TwilioRefusal(400, 21205, `Url is not a valid URL: ${p.Url}`);
    if (!isDialable(to)) throw new TwilioRefusal(400, 21211, `Invalid 'To' Phone Number: ${to}`);
    const refusal = this.ctx.state.behaviourOf(to).apiError;
    if (refusal && refusal.for !== 'sms') {
      const message = refusal.code === 21211 ? `Invalid 'To' Phone Number: ${to}` : refusal.message;
      throw new TwilioRefusal(refusal.status ?? 400, refusal.code, message);
    }
    const events = ([] as string[]).concat(p.StatusCallbackEvent ?? []).flatMap((e) => e.split(/[\s,]+/)).filter(Boolean);
    const record = this.newRecord('outbound-api', p.From, to, 'queued');
    record.url = p.Url ?? null;
    record.twiml = p.Twiml ?? null;
    record.statusCallback = p.StatusCallback ?? null;
    record.statusCallbackEvents = events.length ? events : ['completed'];
    record.machineDetection = p.MachineDetection ?? null;
    const live = this.track(record);
    this.recordings?.arm(record, p);
    live.statusCallbackMethod = httpMethod(p.StatusCallbackMethod);
    live.fallbackUrl = p.FallbackUrl ?? null;
    live.fallbackMethod = httpMethod(p.FallbackMethod);
    live.timeoutSeconds = Number(p.Timeout ?? 60);
    if (p.MachineDetection && p.AsyncAmd === 'true')
      live.amd = { asyncCallback: p.AsyncAmdStatusCallback ?? null, asyncMethod: httpMethod(p.AsyncAmdStatusCallbackMethod) };
    const source: TwimlSource = p.Twiml ? { twiml: p.Twiml } : { url: p.Url ?? '', method: httpMethod(p.Method), kind: 'voice-url' };
    this.ctx.lifetime.spawn(() => this.runOutbound(live, source), this.ctx.onInternalError);
    return record;
  }

  /** A citizen dials one of the app's numbers: Twilio POSTs the Voice webhook while the call rings. */
  citizenCalls(from: string, to?: string): CallRecord {
    const record = this.newRecord('inbound', from, to ?? this.ctx.options.twilio.phoneNumber, 'ringing');
    record.url = this.ctx.options.twilio.incomingVoiceUrl;
    record.statusCallback = this.ctx.options.twilio.incomingVoiceStatusUrl;
    record.statusCallbackEvents = ['completed'];
    const live = this.track(record);
    this.ctx.lifetime.spawn(async () => {
      await this.ctx.lifetime.sleep(0);
      const end = await this.runner.run(live, { url: record.url ?? '', method: 'POST', kind: 'incoming-voice' });
      await this.ended(live, end);
    }, this.ctx.onInternalError);
    return record;
  }

  answer(sid: string, opts: { machine?: boolean } = {}): void {
    this.parked(sid, 'ringing', 'answer').send({ type: 'answer', machine: opts.machine ?? false });
  }

  reject(sid: string): void {
    this.parked(sid, 'ringing', 'reject').send({ type: 'reject' });
  }

  answerGather(sid: string, input: GatherInput): void {
    const live = this.parked(sid, 'gather', 'answer the <Gather> of');
    const accepts = live.record.gather?.input ?? [];
    if (input.speech === undefined && input.digits === undefined)
      throw new CallStateError(`answerGather(${sid}): give speech or digits (use silence() for no input)`);
    if (input.speech !== undefined && !accepts.includes('speech') && input.digits === undefined)
      throw new CallStateError(`answerGather(${sid}): this <Gather> takes input="${accepts.join(' ')}", not speech`);
    if (input.digits !== undefined && !accepts.includes('dtmf') && input.speech === undefined)
      throw new CallStateError(`answerGather(${sid}): this <Gather> takes input="${accepts.join(' ')}", not digits`);
    live.record.gather = null; // answered: a waitForGather() from now on waits for the next one
    live.send({ type: 'input', input });
  }

  /** The citizen says nothing: the Gather times out now instead of after its timeout. */
  silence(sid: string): void {
    const live = this.parked(sid, 'gather', 'stay silent at');
    live.record.gather = null;
    live.send({ type: 'timeout' });
  }

  /** The dialled party (e.g. the desk) hangs up: the <Dial> ends and its action runs. */
  endDial(sid: string): void {
    this.parked(sid, 'dial', 'end the <Dial> of').send({ type: 'dial-end', status: 'completed' });
  }

  hangUp(sid: string): void {
    const live = this.live.get(sid);
    if (!live) throw new CallStateError(this.notLive(sid, 'hang up'));
    // Hanging up on a phone that is still ringing is declining the call.
    if (live.waitingFor === 'ringing' && live.record.direction === 'outbound-api') live.send({ type: 'reject' });
    else live.send({ type: 'hangup', by: 'citizen' });
  }

  /** POST /Calls/{sid}.json: cancel or end the call, or move it to new TwiML. */
  update(sid: string, p: CallUpdateParams): CallRecord {
    const record = this.ctx.state.call(sid);
    if (!record) throw new TwilioRefusal(404, 20404, `The requested resource /2010-04-01/Accounts/${this.ctx.options.twilio.accountSid}/Calls/${sid}.json was not found`);
    const live = this.live.get(sid);
    if (!live) {
      if (p.Status || p.Url || p.Twiml) throw new TwilioRefusal(400, 21220, 'Call is not in-progress. Cannot redirect.');
      return record;
    }
    if (p.Status === 'canceled') {
      if (record.status === 'queued' || record.status === 'initiated' || record.status === 'ringing') live.send({ type: 'cancel' });
    } else if (p.Status === 'completed') {
      live.send(record.status === 'in-progress' ? { type: 'hangup', by: 'app' } : { type: 'cancel' });
    } else if (p.Twiml || p.Url) {
      if (record.status !== 'in-progress') throw new TwilioRefusal(400, 21220, 'Call is not in-progress. Cannot redirect.');
      record.url = p.Url ?? record.url;
      live.send({ type: 'redirect', source: p.Twiml ? { twiml: p.Twiml } : { url: p.Url ?? '', method: httpMethod(p.Method), kind: 'redirect' } });
    }
    return record;
  }

  private async runOutbound(live: LiveCall, source: TwimlSource): Promise<void> {
    const call = live.record;
    await this.ctx.lifetime.sleep(0); // the API answers 201 before anything happens on the line
    await this.progress(live, 'initiated');
    const behaviour = this.ctx.state.behaviourOf(call.to);
    const mode = behaviour.call ?? 'manual';
    if (live.takePending()) return this.finish(live, 'canceled');
    if (mode === 'fail') return this.finish(live, 'failed');
    if (mode === 'busy') return this.finish(live, 'busy');
    await this.progress(live, 'ringing');
    const ringLimit = Math.min(this.ctx.options.ringMs, live.timeoutSeconds * 1000);
    const automatic = mode === 'answer' || mode === 'voicemail' || mode === 'reject';
    let w = await live.wait('ringing', automatic ? Math.min(behaviour.answerAfterMs ?? 20, ringLimit) : ringLimit);
    if (w.type === 'timeout' && automatic) w = mode === 'reject' ? { type: 'reject' } : { type: 'answer', machine: mode === 'voicemail' };
    if (w.type === 'reject') return this.finish(live, 'busy', '603');
    if (w.type === 'timeout') return this.finish(live, 'no-answer');
    if (w.type !== 'answer') return this.finish(live, 'canceled');

    if (call.machineDetection && !live.amd) {
      call.answeredBy = w.machine ? (call.machineDetection === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start') : 'human';
    }
    if (w.machine) call.voicemail = [];
    await this.progress(live, 'in-progress');
    await this.recordings?.callAnswered(call);
    if (live.amd) this.ctx.lifetime.spawn(() => this.asyncAmd(live, w.type === 'answer' && w.machine), this.ctx.onInternalError);
    const end = await this.runner.run(live, source);
    await this.ended(live, end);
  }

  private async asyncAmd(live: LiveCall, machine: boolean): Promise<void> {
    const call = live.record;
    const answeredBy = machine ? (call.machineDetection === 'DetectMessageEnd' ? 'machine_end_beep' : 'machine_start') : 'human';
    if (!live.amd?.asyncCallback) return;
    await this.ctx.sender.twilio('amd-status', live.amd.asyncCallback,
      { AccountSid: call.accountSid, CallSid: call.sid, AnsweredBy: answeredBy, MachineDetectionDuration: '2000' }, call.sid, live.amd.asyncMethod);
  }

  private async ended(live: LiveCall, end: RunEnd): Promise<void> {
    if (end.end === 'reject') return this.finish(live, end.reason === 'busy' ? 'busy' : 'no-answer');
    live.record.transcript.push({ at: nowIso(), kind: 'hangup', by: end.by });
    // A caller hanging up before an inbound call was answered cancels it.
    return this.finish(live, live.record.status === 'ringing' ? 'canceled' : 'completed');
  }

  private setStatus(live: LiveCall, status: CallStatus): void {
    const call = live.record;
    call.status = status;
    call.dateUpdated = nowIso();
    if (status === 'in-progress') call.startTime = nowIso();
    call.transcript.push({ at: nowIso(), kind: 'status', status });
    this.changed(live);
  }

  private async progress(live: LiveCall, status: CallStatus): Promise<void> {
    this.setStatus(live, status);
    this.conferences?.callProgress(live.record);
    const event = EVENT_OF[status];
    if (event && live.record.statusCallbackEvents.includes(event)) await this.statusCallback(live);
  }

  private async finish(live: LiveCall, status: CallStatus, sip?: string): Promise<void> {
    const call = live.record;
    call.endTime = nowIso();
    call.duration = call.startTime ? Math.ceil((Date.parse(call.endTime) - Date.parse(call.startTime)) / 1000) : 0;
    call.gather = null;
    call.connectedTo = null;
    this.setStatus(live, status);
    this.live.delete(call.sid);
    this.changed(live);
    this.conferences?.callEnded(call);
    if (TERMINAL.includes(status) && call.statusCallbackEvents.includes('completed')) await this.statusCallback(live, sip);
    if (TERMINAL.includes(status)) await this.recordings?.callEnded(call);
  }

  private async statusCallback(live: LiveCall, sip?: string): Promise<void> {
    const call = live.record;
    if (!call.statusCallback) return;
    const params = statusCallbackParams(call, live.callbackSequence++, sip);
    await this.ctx.sender.twilio('call-status', call.statusCallback, params, call.sid, live.statusCallbackMethod);
  }

  private changed(live: LiveCall): void {
    const c = live.record;
    this.ctx.state.changed('call', c.direction === 'inbound' ? [c.from] : [c.to], c.sid);
  }

  private newRecord(direction: CallRecord['direction'], from: string, to: string, status: CallStatus): CallRecord {
    const now = nowIso();
    const record: CallRecord = {
      seq: this.ctx.state.nextSeq(),
      sid: twilioSid('CA'),
      accountSid: this.ctx.options.twilio.accountSid,
      direction,
      from,
      to,
      status,
      answeredBy: null,
      machineDetection: null,
      url: null,
      twiml: null,
      statusCallback: null,
      statusCallbackEvents: [],
      dateCreated: now,
      dateUpdated: now,
      startTime: null,
      endTime: null,
      duration: null,
      transcript: [{ at: now, kind: 'status', status }],
      gather: null,
      connectedTo: null,
      dialed: [],
      errors: [],
      voicemail: null,
    };
    this.ctx.state.calls.push(record);
    return record;
  }

  private track(record: CallRecord): LiveCall {
    const live = new LiveCall(record, this.ctx.lifetime);
    this.live.set(record.sid, live);
    this.changed(live);
    return live;
  }

  private parked(sid: string, what: 'ringing' | 'gather' | 'dial', verb: string): LiveCall {
    const live = this.live.get(sid);
    if (!live) throw new CallStateError(this.notLive(sid, verb));
    // A ringing phone can be answered while the 'ringing' status callback is still in flight.
    const ready = what === 'ringing' ? live.record.status === 'ringing' && live.record.direction === 'outbound-api' : live.waitingFor === what;
    if (!ready) {
      const c = live.record;
      const last = c.transcript[c.transcript.length - 1];
      throw new CallStateError(
        `cannot ${verb} call ${sid}: it is ${c.status}${live.waitingFor ? `, waiting at ${live.waitingFor}` : ''} ` +
          `(expected ${what}); last event: ${JSON.stringify(snapshot(last))}`,
      );
    }
    return live;
  }

  private notLive(sid: string, verb: string): string {
    const c = this.ctx.state.call(sid);
    return c ? `cannot ${verb} call ${sid}: it has ended (${c.status})` : `cannot ${verb} call ${sid}: no such call`;
  }
}

