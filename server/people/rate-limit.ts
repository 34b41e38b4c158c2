// Login throttling, kept in the database so every web process counts the same attempts.
import type { Db } from '../store/repositories/cases';
import { clearLoginAttempts, countLoginAttempts, oldestLoginAttempt, pruneLoginAttempts, recordLoginAttempt } from '../store/repositories/sessions';

export interface LoginLimits {
  /** Attempts allowed per address and username in the window (default 5). */
  perUser: number;
  /** Attempts allowed per address across usernames in the window (default 30): stops username spraying. */
  perAddress: number;
  /** Window length, ms (default one minute). */
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 5, perAddress: 30, windowMs: 60_000 };

const userKey = (ip: string, username: string) => `${ip}|${username.trim().toLowerCase()}`;
const addressKey = (ip: string) => `${ip}|*`;

/**
 * Counts this attempt unless a limit is already reached; a refused attempt is not counted, so waiting
 * the advised time is always enough.
 */
export async function takeLoginAttempt(db: Db, ip: string, username: string, limits: LoginLimits, now = Date.now()): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number; scope: 'user' | 'address' }> {
  const at = new Date(now).toISOString();
  const since = new Date(now - limits.windowMs).toISOString();
  if (Math.random() < 0.02) await pruneLoginAttempts(db, since);
  const keys = [
    [userKey(ip, username), limits.perUser, 'user'],
    [addressKey(ip), limits.perAddress, 'address'],
  ] as const;
  for (const [key, limit, scope] of keys) {
    if ((await countLoginAttempts(db, key, since)) >= limit) {
      const oldest = await oldestLoginAttempt(db, key, since);
      const retryAfterSeconds = Math.max(1, Math.ceil(((oldest ? Date.parse(oldest) : now) + limits.windowMs - now) / 1000));
      return { ok: false, retryAfterSeconds, scope };
    }
  }
  for (const [key] of keys) await recordLoginAttempt(db, key, at);
  return { ok: true };
}

/** A successful login forgets that user's failures from this address. */
export async function loginSucceeded(db: Db, ip: string, username: string): Promise<void> {
  await clearLoginAttempts(db, userKey(ip, username));
}
