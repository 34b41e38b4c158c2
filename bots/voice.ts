// Outbound warning calls through Twilio Calls. The call's words come later, as TwiML, when Twilio asks.
import type { SentMessage } from './channel';
import { toTwilioError, type TwilioClient } from './twilio-client';

export interface PlaceCall {
  to: string;
  /** Twilio fetches the first TwiML here when the call is answered. */
  answerUrl: string;
  statusCallbackUrl: string;
  /** Detect answering machines so voicemail gets a short message and an SMS follow-up. */
  machineDetection?: boolean;
  timeoutSeconds?: number;
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
      });
      return { providerId: call.sid, status: call.status };
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
