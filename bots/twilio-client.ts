// The real twilio client, optionally pointed at another base URL (the local phone network in dev/tests).
import twilio from 'twilio';
import { ChannelError } from './channel';

const TWILIO_API = /^https:\/\/api\.twilio\.com/;

export type TwilioClient = ReturnType<typeof twilio>;

export function createTwilioClient(accountSid: string, authToken: string, apiBase?: string, timeoutMs = 10_000): TwilioClient {
  const base = apiBase?.replace(/\/+$/, '');
  class RewritingClient extends twilio.RequestClient {
    constructor() {
      super({ timeout: timeoutMs, keepAlive: true });
    }
    request<T>(opts: Parameters<twilio.RequestClient['request']>[0]): Promise<T> {
      return super.request({ ...opts, uri: base ? opts.uri.replace(TWILIO_API, base) : opts.uri }) as Promise<T>;
    }
  }
  return twilio(accountSid, authToken, { httpClient: new RewritingClient() as unknown as twilio.RequestClient });
}

// Twilio error codes that no retry can fix: the number is invalid, unreachable by this channel, or opted out.
const PERMANENT_TWILIO_CODES = new Set([21211, 21214, 21217, 21219, 21408, 21421, 21610, 21612, 21614, 21216, 13224, 13227, 30003, 30005, 30006, 30007]);

/** Turns a twilio library rejection into a ChannelError that says whether to retry. */
export function toTwilioError(err: unknown): ChannelError {
  const e = err as { status?: number; code?: number; message?: string };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const code = typeof e?.code === 'number' ? e.code : undefined;
  const permanent = (code !== undefined && PERMANENT_TWILIO_CODES.has(code)) || (status !== undefined && status >= 400 && status < 500 && status !== 429 && status !== 408);
  return new ChannelError('twilio', `Twilio: ${e?.message ?? String(err)}`, code !== undefined ? String(code) : status !== undefined ? `http_${status}` : 'network', permanent, status);
}
