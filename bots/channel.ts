// Every outreach channel sits behind one small interface, so the conversation code never knows which
// provider carries a message, and one shared test suite can run against each implementation.
import type { ChannelName } from '../flows/engine/vocabulary';
import type { Rendered } from '../flows/engine';

export interface Delivery {
  /** Phone number (E.164) for voice and SMS, chat id for Telegram. */
  to: string;
  rendered: Rendered;
  /** Where the provider reports delivery status; includes our own ids so callbacks match even before we learn the provider id. */
  statusCallbackUrl?: string;
}

export interface SentMessage {
  providerId: string;
  status: string;
}

export interface MessageChannel {
  readonly name: Exclude<ChannelName, 'voice'>;
  send(d: Delivery): Promise<SentMessage>;
}

/**
 * The provider refused or failed. `permanent` means retrying the same request cannot succeed.
 * `nothingDone` means the provider answered with a refusal (a 4xx), so nothing went out; otherwise (a 5xx,
 * a timeout, a dropped connection) it may have sent the message or placed the call before the answer was
 * lost, and that must be confirmed before anything is sent again.
 */
export class ChannelError extends Error {
  readonly nothingDone: boolean;
  constructor(
    readonly provider: 'twilio' | 'telegram',
    message: string,
    readonly code: string | undefined,
    readonly permanent: boolean,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = provider === 'twilio' ? 'TwilioApiError' : 'TelegramApiError';
    this.nothingDone = httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500;
  }
}
