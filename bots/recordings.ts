// Call recordings at Twilio: the audio fetched for replay (through our server, never linked to the
// browser) and deleted when retention says so, through the real twilio library.
import { toTwilioError, type TwilioClient } from './twilio-client';

export interface RecordingMediaAccess {
  accountSid: string;
  authToken: string;
  /** Another base URL for Twilio's API (the local phone network); default https://api.twilio.com. */
  apiBase?: string;
}

export class RecordingNotFoundError extends Error {
  constructor(readonly recordingSid: string) {
    super(`Twilio has no recording ${recordingSid}`);
    this.name = 'RecordingNotFoundError';
  }
}

export class CallRecordings {
  constructor(
    private readonly client: TwilioClient,
    private readonly access: RecordingMediaAccess,
    private readonly timeoutMs = 15_000,
  ) {}

  /** The recording as WAV. Twilio media takes the account's credentials (HTTP auth on media should be on). */
  async audio(recordingSid: string): Promise<{ contentType: string; body: Buffer }> {
    const base = (this.access.apiBase ?? 'https://api.twilio.com').replace(/\/+$/, '');
    const url = `${base}/2010-04-01/Accounts/${this.access.accountSid}/Recordings/${recordingSid}.wav`;
    let res: Response;
    try {
      res = await fetch(url, {
        headers: { authorization: `Basic ${Buffer.from(`${this.access.accountSid}:${this.access.authToken}`).toString('base64')}` },
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw toTwilioError(err);
    }
    if (res.status === 404) throw new RecordingNotFoundError(recordingSid);
    if (!res.ok) throw toTwilioError({ status: res.status, message: `recording media answered ${res.status}` });
    return { contentType: res.headers.get('content-type') ?? 'audio/wav', body: Buffer.from(await res.arrayBuffer()) };
  }

  /** Deletes the recording at Twilio; a recording already gone counts as deleted. */
  async remove(recordingSid: string): Promise<'deleted' | 'already_gone'> {
    try {
      await this.client.recordings(recordingSid).remove();
      return 'deleted';
    } catch (err) {
      if ((err as { status?: number }).status === 404) return 'already_gone';
      throw toTwilioError(err);
    }
  }
}
