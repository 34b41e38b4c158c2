// How Twilio writes things: dates (RFC 2822 with +0000), error bodies, segment counts, number facts.
import { parsePhoneNumberFromString } from 'libphonenumber-js';

export function rfc2822(iso: string | null): string | null {
  return iso === null ? null : new Date(iso).toUTCString().replace('GMT', '+0000');
}

export interface TwilioErrorBody {
  code: number;
  message: string;
  more_info: string;
  status: number;
}

export function twilioError(status: number, code: number, message: string): TwilioErrorBody {
  return { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status };
}

/** Messages Twilio gives for the codes a behaviour script can ask for by number alone. */
export const TWILIO_ERROR_MESSAGES: Record<number, string> = {
  20003: 'Authenticate',
  20429: 'Too Many Requests',
  20500: 'Internal Server Error',
  20503: 'Service Unavailable',
  21211: "Invalid 'To' Phone Number",
  21214: "'To' phone number cannot be reached",
  21217: 'Phone number does not appear to be valid',
  21408: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
  21610: 'Attempt to send to unsubscribed recipient',
  21612: "The 'To' phone number is not currently reachable via SMS",
  21614: "'To' number is not a valid mobile number",
  30003: 'Unreachable destination handset',
  30005: 'Unknown destination handset',
  30006: 'Landline or unreachable carrier',
  30007: 'Message filtered',
  30008: 'Unknown error',
};

function isGsm7(body: string): boolean {
  const basic =
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€';
  for (const c of body) if (!basic.includes(c)) return false;
  return true;
}

/** GSM-7 fits 160 characters (153 per part); anything else, Chinese included, is UCS-2: 70 (67 per part). */
export function segmentCount(body: string): number {
  const length = [...body].length;
  const [single, part] = isGsm7(body) ? [160, 153] : [70, 67];
  return length <= single ? 1 : Math.ceil(length / part);
}

/** A number Twilio would accept as a destination: E.164 (or close to it) and of a possible length. */
export function isDialable(number: string): boolean {
  if (!number.startsWith('+')) return false;
  const parsed = parsePhoneNumberFromString(number);
  return parsed !== undefined && parsed.isPossible();
}

export function countryOf(number: string): string {
  return parsePhoneNumberFromString(number)?.country ?? '';
}
