// Runs TwiML on a call the way Twilio does: fetch the document, play its verbs in order, follow <Gather>
// and <Dial> actions and <Redirect>s, and end the call at <Hangup/> or the end of the document.
import type { NetworkContext } from './context';
import { twilioSid } from './sids';
import { nowIso } from './state';
import { GATHER_LANGUAGES } from './twilio-languages';
import { elementsOf, parseTwiml, textOf, type XmlElement } from './twiml';
import { voiceParams } from './voice-params';
import type { GatherInput, LiveCall, TwimlSource, Wakeup } from './voice-live';
import type { CallEvent, GatherPrompt } from './types';

/** Omit distributed over the union, so each event kind keeps its own fields. */
type NewEvent = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'at'> : never) : never;

export type RunEnd = { end: 'hangup'; by: 'app' | 'citizen' } | { end: 'reject'; reason: string };
type Step = RunEnd | { next: TwimlSource };

const APPLICATION_ERROR = 'We are sorry, an application error has occurred. Goodbye.';

export interface RunnerHooks {
  /** called before each verb; an inbound call is answered by the first verb that is not <Reject> */
  beforeVerb(live: LiveCall, verb: string): void;
  changed(live: LiveCall): void;
  /** <Dial><Conference>: the call is in the room until it leaves; resolves with what ended its stay. */
  conference?(live: LiveCall, element: XmlElement): Promise<Wakeup>;
}

function method(value: string | undefined): 'POST' | 'GET' {
  return value?.toUpperCase() === 'GET' ? 'GET' : 'POST';
}

export class TwimlRunner {
  constructor(
    private readonly ctx: NetworkContext,
    private readonly hooks: RunnerHooks,
  ) {}

  async run(live: LiveCall, first: TwimlSource): Promise<RunEnd> {
    let source: TwimlSource | null = first;
    while (source) {
      const doc = await this.load(live, source);
      if (!doc) return { end: 'hangup', by: 'app' };
      const step = await this.execute(live, doc);
      if ('end' in step) return step;
      source = step.next;
    }
    return { end: 'hangup', by: 'app' };
  }

  private note(live: LiveCall, event: NewEvent): void {
    live.record.transcript.push({ at: nowIso(), ...event } as CallEvent);
    live.record.dateUpdated = nowIso();
    this.hooks.changed(live);
  }

  private error(live: LiveCall, code: number, message: string): void {
    live.record.errors.push({ code, message });
    this.note(live, { kind: 'error', code, message });
  }

  private resolveUrl(live: LiveCall, url: string | undefined): string | null {
    const base = live.documentUrl ?? live.record.url;
    if (!url) return base;
    try {
      return new URL(url, base ?? undefined).href;
    } catch {
      return null;
    }
  }

  private async load(live: LiveCall, source: TwimlSource): Promise<XmlElement | null> {
    let body: string;
    if ('twiml' in source) {
      body = source.twiml;
    } else {
      const params = { ...voiceParams(live.record), ...source.extra };
      let res = await this.ctx.sender.twilio(source.kind, source.url, params, live.record.sid, source.method);
      if (res.status < 200 || res.status >= 300) {
        this.error(live, res.status === 0 && res.error?.startsWith('no answer') ? 11205 : 11200,
          `HTTP retrieval failure: ${source.url} answered ${res.status === 0 ? res.error : res.status}`);
        if (source.kind === 'voice-url' && live.fallbackUrl) {
          res = await this.ctx.sender.twilio('voice-url', live.fallbackUrl,
            { ...params, ErrorCode: '11200', ErrorUrl: source.url }, live.record.sid, live.fallbackMethod);
        }
        if (res.status < 200 || res.status >= 300) {
          this.say(live, APPLICATION_ERROR, 'en-US', null, 1);
          return null;
        }
      }
      live.documentUrl = source.url;
      body = res.body;
    }
    try {
      return parseTwiml(body);
    } catch (e) {
      this.error(live, 12100, `Document parse failure: ${(e as Error).message}`);
      this.say(live, APPLICATION_ERROR, 'en-US', null, 1);
      return null;
    }
  }

  private say(live: LiveCall, text: string, language: string | null, voice: string | null, loop: number): void {
    live.promptSinceInput.push(text);
    live.record.voicemail?.push(text);
    this.note(live, { kind: 'say', text, language, voice, loop });
  }

  /** Hang-ups and redirects that arrived while a webhook was in flight. */
  private interrupted(live: LiveCall): Step | null {
    const w = live.takePending();
    if (!w) return null;
    if (w.type === 'redirect') return { next: w.source };
    return { end: 'hangup', by: w.type === 'hangup' ? w.by : 'app' };
  }

  private async execute(live: LiveCall, doc: XmlElement): Promise<Step> {
    for (const verb of elementsOf(doc)) {
      const stop = this.interrupted(live);
      if (stop) return stop;
      this.hooks.beforeVerb(live, verb.name);
      const a = verb.attrs;
      switch (verb.name) {
        case 'Say':
          this.say(live, textOf(verb), a.language ?? 'en-US', a.voice ?? null, Number(a.loop ?? 1));
          break;
        case 'Play':
          this.note(live, { kind: 'play', url: textOf(verb) });
          break;
        case 'Pause':
          this.note(live, { kind: 'pause', seconds: Number(a.length ?? 1) });
          break;
        case 'Gather': {
          const step = await this.gather(live, verb);
          if (step) return step;
          break;
        }
        case 'Dial': {
          const step = await this.dial(live, verb);
          if (step) return step;
          break;
        }
        case 'Redirect': {
          const url = this.resolveUrl(live, textOf(verb));
          if (!url) {
            this.error(live, 12100, `Document parse failure: <Redirect> to an invalid URL "${textOf(verb)}"`);
            return { end: 'hangup', by: 'app' };
          }
          this.note(live, { kind: 'redirect', url });
          return { next: { url, method: method(a.method), kind: 'redirect' } };
        }
        case 'Hangup':
          return { end: 'hangup', by: 'app' };
        case 'Reject':
          return { end: 'reject', reason: a.reason ?? 'rejected' };
        default:
          this.error(live, 12200, `Schema validation warning: <${verb.name}> is not simulated by the local phone network and was skipped`);
      }
    }
    return { end: 'hangup', by: 'app' };
  }

  private async gather(live: LiveCall, verb: XmlElement): Promise<Step | null> {
    const a = verb.attrs;
    for (const child of elementsOf(verb)) {
      if (child.name === 'Say') this.say(live, textOf(child), child.attrs.language ?? 'en-US', child.attrs.voice ?? null, Number(child.attrs.loop ?? 1));
      else if (child.name === 'Play') this.note(live, { kind: 'play', url: textOf(child) });
      else if (child.name === 'Pause') this.note(live, { kind: 'pause', seconds: Number(child.attrs.length ?? 1) });
    }
    const input = (a.input ?? 'dtmf').split(/\s+/).filter(Boolean);
    const language = a.language ?? 'en-US';
    const warnings: GatherPrompt['warnings'] = [];
    if (input.includes('speech') && !GATHER_LANGUAGES.has(language)) {
      const w = { code: 13512, message: `Gather element has an invalid "language" attribute value: "${language}" (speech will not be recognised)` };
      warnings.push(w);
      this.error(live, w.code, w.message);
    }
    const action = this.resolveUrl(live, a.action);
    const timeoutSeconds = Number(a.timeout ?? 5);
    const prompt: GatherPrompt = {
      callSid: live.record.sid,
      input,
      language,
      hints: a.hints ?? null,
      action: action ?? '',
      numDigits: a.numDigits ? Number(a.numDigits) : null,
      timeoutSeconds,
      prompt: [...live.promptSinceInput],
      warnings,
    };
    this.note(live, { kind: 'gather', input, language, hints: prompt.hints });

    let w: Wakeup;
    if (live.record.voicemail) w = { type: 'timeout' }; // an answering machine never answers a question
    else {
      live.record.gather = prompt;
      this.hooks.changed(live);
      w = await live.wait('gather', this.ctx.options.gatherTimeoutMs ?? timeoutSeconds * 1000);
      live.record.gather = null;
    }
    if (w.type === 'hangup' || w.type === 'cancel') return { end: 'hangup', by: w.type === 'hangup' ? w.by : 'app' };
    if (w.type === 'redirect') return { next: w.source };

    let extra: Record<string, string> | null = null;
    if (w.type === 'input') {
      live.promptSinceInput = [];
      const given = w.input;
      this.note(live, { kind: 'input', speech: given.speech ?? null, confidence: given.confidence ?? null, digits: given.digits ?? null });
      extra = this.gatherResult(given, input, a.finishOnKey ?? '#', warnings.length > 0);
    } else {
      this.note(live, { kind: 'no-input' });
    }
    if (extra === null && a.actionOnEmptyResult !== 'true') return null; // Twilio moves on to the next verb
    if (!action) return null;
    return { next: { url: action, method: method(a.method), kind: 'gather-action', extra: extra ?? {} } };
  }

  /** The parameters Twilio adds for what the caller said or keyed; null when nothing usable came in. */
  private gatherResult(given: GatherInput, input: string[], finishOnKey: string, speechUnrecognised: boolean): Record<string, string> | null {
    if (given.speech !== undefined && input.includes('speech') && !speechUnrecognised) {
      return { SpeechResult: given.speech, Confidence: String(given.confidence ?? 0.9) };
    }
    if (given.digits !== undefined && input.includes('dtmf')) {
      let digits = given.digits;
      const params: Record<string, string> = {};
      if (finishOnKey && digits.endsWith(finishOnKey)) {
        digits = digits.slice(0, -finishOnKey.length);
        params.FinishedOnKey = finishOnKey;
      }
      return { Digits: digits, ...params };
    }
    return null;
  }

  /** A <Dial> into a conference room: after the stay, the Dial's action (if any) or the next verb. */
  private async conferenceDial(live: LiveCall, verb: XmlElement, room: XmlElement): Promise<Step | null> {
    const started = Date.now();
    const name = textOf(room);
    live.record.dialed.push({ number: `conference:${name}`, status: 'in-progress', at: nowIso() });
    this.note(live, { kind: 'dial', number: `conference:${name}`, status: 'in-progress' });
    const ended = await this.hooks.conference!(live, room);
    live.record.dialed[live.record.dialed.length - 1].status = 'completed';
    this.hooks.changed(live);
    if (ended.type === 'redirect') return { next: ended.source };
    if (ended.type === 'hangup' || ended.type === 'cancel') return { end: 'hangup', by: ended.type === 'hangup' ? ended.by : 'app' };
    const a = verb.attrs;
    const action = a.action ? this.resolveUrl(live, a.action) : null;
    if (!action) return null;
    const extra = { DialCallStatus: 'completed', DialCallDuration: String(Math.round((Date.now() - started) / 1000)), DialBridged: 'true' };
    return { next: { url: action, method: method(a.method), kind: 'dial-action', extra } };
  }

  private async dial(live: LiveCall, verb: XmlElement): Promise<Step | null> {
    const a = verb.attrs;
    const target = elementsOf(verb).find((e) => ['Number', 'Client', 'Sip', 'Queue', 'Conference'].includes(e.name));
    if (target?.name === 'Conference' && this.hooks.conference) return this.conferenceDial(live, verb, target);
    const number = textOf(target ?? verb);
    const behaviour = this.ctx.state.behaviourOf(number).call;
    const failed: Record<string, string> = { busy: 'busy', reject: 'busy', 'no-answer': 'no-answer', fail: 'failed' };
    let status = behaviour && failed[behaviour] ? failed[behaviour] : 'in-progress';
    const started = Date.now();
    live.record.dialed.push({ number, status, at: nowIso() });
    this.note(live, { kind: 'dial', number, status });
    let ended: Wakeup | null = null;
    if (status === 'in-progress') {
      live.record.connectedTo = number;
      this.hooks.changed(live);
      ended = await live.wait('dial', null);
      live.record.connectedTo = null;
      status = 'completed';
      live.record.dialed[live.record.dialed.length - 1].status = status;
      this.hooks.changed(live);
    }
    const action = a.action ? this.resolveUrl(live, a.action) : null;
    const extra = {
      DialCallStatus: status,
      DialCallSid: twilioSid('CA'),
      DialCallDuration: String(Math.round((Date.now() - started) / 1000)),
      DialBridged: String(status === 'completed'),
    };
    if (ended?.type === 'redirect') return { next: ended.source };
    if (ended?.type === 'hangup' || ended?.type === 'cancel') {
      // Twilio still requests the action when the caller hangs up, but ignores the TwiML it returns.
      if (action) await this.ctx.sender.twilio('dial-action', action, { ...voiceParams(live.record), ...extra, CallStatus: 'completed' }, live.record.sid, method(a.method));
      return { end: 'hangup', by: ended.type === 'hangup' ? ended.by : 'app' };
    }
    if (!action) return null;
    return { next: { url: action, method: method(a.method), kind: 'dial-action', extra } };
  }
}
