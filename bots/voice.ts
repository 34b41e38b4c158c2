// Outbound warning calls through Twilio Calls. The call's words come later, as TwiML, when Twilio asks.
import type { SentMessage } from './channel';
import { CLOCK_SLACK_MS } from './sms';
import { toTwilioError, type TwilioClient } from './twilio-client';

export interface PlaceCall {
  to: string;
  /** Twilio fetches the first TwiML here when the call is answered. */
  answerUrl: string;
  statusCallbackUrl: string;
  /** Detect answering machines so voicemail gets a short message and an SMS follow-up. */
  machineDetection?: boolean;
  timeoutSeconds?: number;
  /** Record the call (both sides, one channel each); Twilio posts the recording's status here. */
  recordingStatusCallbackUrl?: string;
}

export class VoiceChannel {
  readonly name = 'voice' as const;
  constructor(
    private readonly client: TwilioClient,
    private readonly from: string,
  ) {}

  async call(c: PlaceCall): Promise<SentMessage> {
    try {
      const call = await this.client.calls.create({
        to: c.to,
        from: this.from,
        url: c.answerUrl,
        method: 'POST',
        statusCallback: c.statusCallbackUrl,
        statusCallbackMethod: 'POST',
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
        timeout: c.timeoutSeconds ?? 30,
        ...(c.machineDetection ? { machineDetection: 'Enable' } : {}),
        ...(c.recordingStatusCallbackUrl
          ? { record: true, recordingChannels: 'dual', recordingStatusCallback: c.recordingStatusCallbackUrl, recordingStatusCallbackMethod: 'POST', recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'] }
          : {}),
      });
      return { providerId: call.sid, status: call.status };
    } catch (err) {
      throw toTwilioError(err);
    }
  }

  /**
   * Looks up with Twilio whether a call was placed after all (its answer was lost to a timeout or a 5xx):
   * the newest call to this number created since `since` that we do not know yet.
   */
  async findPlaced(q: { to: string; since: string; known: ReadonlySet<string> }): Promise<SentMessage | undefined> {
    try {
      const list = await this.client.calls.list({ to: q.to, from: this.from, limit: 20 });
      const since = Date.parse(q.since);
      const c = list.find((x) => !q.known.has(x.sid) && x.dateCreated.getTime() >= since - CLOCK_SLACK_MS);
      return c ? { providerId: c.sid, status: c.status } : undefined;
    } catch (err) {
      throw toTwilioError(err);
    }
  }

  /** A call that connects the desk officer's phone to the citizen (the desk's "call" button). */
  async bridge(deskPhone: string, citizen: string, statusCallbackUrl: string, sayFirst: string | { text: string; language?: string; voice?: string }): Promise<SentMessage> {
    try {
      const say = typeof sayFirst === 'string' ? { text: sayFirst } : sayFirst;
      const attrs = `${say.language ? ` language="${escapeXml(say.language)}"` : ''}${say.voice ? ` voice="${escapeXml(say.voice)}"` : ''}`;
      const twiml = `<?xml version="1.0" encoding="UTF-8"?><Response><Say${attrs}>${escapeXml(say.text)}</Say><Dial callerId="${escapeXml(this.from)}">${escapeXml(citizen)}</Dial></Response>`;
      const call = await this.client.calls.create({ to: deskPhone, from: this.from, twiml, statusCallback: statusCallbackUrl, statusCallbackMethod: 'POST' });
      return { providerId: call.sid, status: call.status };
    } catch (err) {
      throw toTwilioError(err);
    }
  }
}

function escapeXml(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}
