// Phone numbers in, E.164 out. Upstream systems write numbers many ways; we store one.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

export type PhoneResult = { ok: true; e164: string } | { ok: false; reason: string };

export function normalisePhone(raw: string, defaultRegion: string): PhoneResult {
  const text = raw.trim();
  if (!text) return { ok: false, reason: 'is empty' };
  if (text.length > 32 || !/^[+\d\s().-]+$/.test(text)) return { ok: false, reason: `"${text.slice(0, 32)}" is not a phone number (digits, spaces, + - ( ) only)` };
  const parsed = parsePhoneNumberFromString(text, defaultRegion as CountryCode);
  if (!parsed) return { ok: false, reason: `"${text}" is not a phone number` };
  if (!parsed.isValid()) return { ok: false, reason: `"${text}" is not a valid number for region ${parsed.country ?? defaultRegion}` };
  return { ok: true, e164: parsed.number };
}
