import { randomBytes, randomUUID } from 'node:crypto';

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();
export const isoIn = (ms: number, from = Date.now()): string => new Date(from + ms).toISOString();

// No 0/O/1/I: the citizen reads the case code aloud or types it into Telegram.
const REF_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** A short case code a citizen can quote on the phone or send to the bot, e.g. "QZ7K4M2P". */
export function newCaseRef(): string {
  const bytes = randomBytes(6);
  let ref = 'QZ';
  for (const b of bytes) ref += REF_ALPHABET[b % REF_ALPHABET.length];
  return ref;
}

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (!text) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
