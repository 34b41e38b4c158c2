// SMS through Twilio Messages.
import type { Delivery, MessageChannel, SentMessage } from './channel';
import { toTwilioError, type TwilioClient } from './twilio-client';

export class SmsChannel implements MessageChannel {
  readonly name = 'sms' as const;
  constructor(
    private readonly client: TwilioClient,
    private readonly from: string,
  ) {}

  async send(d: Delivery): Promise<SentMessage> {
    if (d.rendered.channel !== 'sms') throw new Error(`SmsChannel cannot send a ${d.rendered.channel} rendering`);
    try {
      const m = await this.client.messages.create({
        to: d.to,
        from: this.from,
        body: d.rendered.text,
        ...(d.statusCallbackUrl ? { statusCallback: d.statusCallbackUrl } : {}),
      });
      return { providerId: m.sid, status: m.status };
    } catch (err) {
      throw toTwilioError(err);
    }
  }

  /**
   * Looks up with Twilio whether a message went out after all (its answer was lost to a timeout or a 5xx):
   * the newest message to this number with this text, created since `since`, that we do not know yet.
   */
  async findSent(q: FindSent): Promise<SentMessage | undefined> {
    try {
      const list = await this.client.messages.list({ to: q.to, from: this.from, limit: 20 });
      const since = Date.parse(q.since);
      const m = list.find((x) => x.body === q.body && !q.known.has(x.sid) && x.dateCreated.getTime() >= since - CLOCK_SLACK_MS);
      return m ? { providerId: m.sid, status: m.status } : undefined;
    } catch (err) {
      throw toTwilioError(err);
    }
  }
}

export interface FindSent {
  to: string;
  body: string;
  /** When we asked Twilio to send it (ISO). */
  since: string;
  /** Sids we already hold, which cannot be this message. */
  known: ReadonlySet<string>;
}

/** Twilio's dates have whole seconds; our clock and theirs may differ by a little. */
export const CLOCK_SLACK_MS = 5_000;
