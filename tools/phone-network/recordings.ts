// Call recordings as Twilio makes them: armed by record=true on the call, started when the call is
// answered, completed when it ends, reported to recordingStatusCallback for the events asked for; the
// media is a WAV of the call's length (a quiet tone, one per channel) until the app deletes it.
import type { NetworkContext } from './context';
import { twilioSid } from './sids';
import { nowIso } from './state';
import { rfc2822 } from './twilio-format';
import type { CallRecord, RecordingRecord } from './types';

export interface RecordingRequest {
  Record?: string;
  RecordingChannels?: string;
  RecordingStatusCallback?: string;
  RecordingStatusCallbackMethod?: string;
  RecordingStatusCallbackEvent?: string | string[];
}

interface Armed {
  channels: 1 | 2;
  callback: string | null;
  method: 'POST' | 'GET';
  events: string[];
}

const SAMPLE_RATE = 8000;

export class RecordingEngine {
  private readonly armed = new Map<string, Armed>();

  constructor(private readonly ctx: NetworkContext) {}

  /** Calls.json with Record=true: the call will be recorded once answered. */
  arm(call: CallRecord, p: RecordingRequest): void {
    if (p.Record !== 'true') return;
    const events = ([] as string[]).concat(p.RecordingStatusCallbackEvent ?? []).flatMap((e) => e.split(/[\s,]+/)).filter(Boolean);
    this.armed.set(call.sid, {
      channels: p.RecordingChannels === 'dual' ? 2 : 1,
      callback: p.RecordingStatusCallback ?? null,
      method: p.RecordingStatusCallbackMethod?.toUpperCase() === 'GET' ? 'GET' : 'POST',
      events: events.length ? events : ['completed'],
    });
  }

  async callAnswered(call: CallRecord): Promise<void> {
    const armed = this.armed.get(call.sid);
    if (!armed) return;
    const now = nowIso();
    const rec: RecordingRecord = { sid: twilioSid('RE'), accountSid: call.accountSid, callSid: call.sid, status: 'in-progress', channels: armed.channels, dateCreated: now, dateUpdated: now, startTime: now, duration: null, deletedAt: null };
    this.ctx.state.recordings.push(rec);
    this.ctx.state.changed('call', [call.to], call.sid);
    if (armed.events.includes('in-progress')) await this.callback(rec, armed);
  }

  /** The call ended: its recording is complete (unanswered calls never had one). */
  async callEnded(call: CallRecord): Promise<void> {
    const armed = this.armed.get(call.sid);
    this.armed.delete(call.sid);
    const rec = this.ctx.state.recordings.find((r) => r.callSid === call.sid && r.status === 'in-progress');
    if (!armed || !rec) return;
    rec.duration = Math.max(1, Math.ceil((Date.now() - Date.parse(rec.startTime)) / 1000));
    rec.status = 'completed';
    rec.dateUpdated = nowIso();
    this.ctx.state.changed('call', [call.to], call.sid);
    if (armed.events.includes('completed')) await this.callback(rec, armed);
  }

  get(sid: string): RecordingRecord | undefined {
    return this.ctx.state.recordings.find((r) => r.sid === sid);
  }

  forCall(callSid: string): RecordingRecord[] {
    return this.ctx.state.recordings.filter((r) => r.callSid === callSid);
  }

  remove(sid: string): boolean {
    const rec = this.get(sid);
    if (!rec || rec.deletedAt) return false;
    rec.deletedAt = nowIso();
    rec.dateUpdated = rec.deletedAt;
    this.ctx.state.changed('call', [], rec.callSid);
    return true;
  }

  /** 16-bit PCM WAV of the recording's length: a soft 440 Hz tone on the first channel, 660 Hz on the second. */
  wav(rec: RecordingRecord): Buffer {
    const frames = SAMPLE_RATE * (rec.duration ?? 1);
    const data = Buffer.alloc(frames * rec.channels * 2);
    for (let i = 0; i < frames; i++) {
      for (let c = 0; c < rec.channels; c++) {
        const v = Math.round(0.15 * 32767 * Math.sin((2 * Math.PI * (c ? 660 : 440) * i) / SAMPLE_RATE));
        data.writeInt16LE(v, (i * rec.channels + c) * 2);
      }
    }
    const header = Buffer.alloc(44);
    header.write('RIFF', 0, 'ascii');
    header.writeUInt32LE(36 + data.length, 4);
    header.write('WAVE', 8, 'ascii');
    header.write('fmt ', 12, 'ascii');
    header.writeUInt32LE(16, 16);
    header.writeUInt16LE(1, 20);
    header.writeUInt16LE(rec.channels, 22);
    header.writeUInt32LE(SAMPLE_RATE, 24);
    header.writeUInt32LE(SAMPLE_RATE * rec.channels * 2, 28);
    header.writeUInt16LE(rec.channels * 2, 32);
    header.writeUInt16LE(16, 34);
    header.write('data', 36, 'ascii');
    header.writeUInt32LE(data.length, 40);
    return Buffer.concat([header, data]);
  }

  private async callback(rec: RecordingRecord, armed: Armed): Promise<void> {
    if (!armed.callback) return;
    const params: Record<string, string> = {
      AccountSid: rec.accountSid,
      CallSid: rec.callSid,
      RecordingSid: rec.sid,
      RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${rec.accountSid}/Recordings/${rec.sid}`,
      RecordingStatus: rec.status,
      RecordingChannels: String(rec.channels),
      RecordingStartTime: rfc2822(rec.startTime) ?? '',
      RecordingSource: 'OutboundAPI',
      RecordingTrack: 'both',
    };
    if (rec.duration !== null) params.RecordingDuration = String(rec.duration);
    await this.ctx.sender.twilio('recording-status', armed.callback, params, rec.callSid, armed.method);
  }
}
