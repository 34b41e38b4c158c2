import { randomBytes } from 'node:crypto';

/** Twilio resource ids: a two-letter prefix and 32 hex digits (34 characters). */
export function twilioSid(prefix: 'SM' | 'CA' | 'MM' | 'RE' | 'PN' | 'CF'): string {
  return prefix + randomBytes(16).toString('hex');
}

/** Telegram callback query ids are long decimal strings. */
export function callbackQueryId(): string {
  return BigInt('0x' + randomBytes(8).toString('hex')).toString(10);
}
