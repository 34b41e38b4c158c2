import { TWILIO_ERROR_MESSAGES, twilioError, type TwilioErrorBody } from './twilio-format';

/** The Twilio API refuses a request: carries the exact JSON body and HTTP status Twilio would answer. */
export class TwilioRefusal extends Error {
  readonly body: TwilioErrorBody;
  constructor(status: number, code: number, message?: string) {
    const text = message ?? TWILIO_ERROR_MESSAGES[code] ?? `Twilio error ${code}`;
    super(text);
    this.name = 'TwilioRefusal';
    this.body = twilioError(status, code, text);
  }
}
