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
}
