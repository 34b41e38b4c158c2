// Login throttling, kept in the database so every web process counts the same attempts.
import { sql } from 'kysely';
import type { Db } from '../store/repositories/cases';
import type { Dialect } from '../store/db';
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
 * the advised time is always enough. The check and the count are one transaction, serialised per key
 * (an advisory lock on PostgreSQL; SQLite transactions take the write lock when they begin), so parallel
 * guesses cannot all pass the check before any of them is counted.
 */
export async function takeLoginAttempt(
  db: Db,
  ip: string,
  username: string,
  limits: LoginLimits,
  opts: { dialect: Dialect; now?: number },
): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number; scope: 'user' | 'address' }> {
  const now = opts.now ?? Date.now();
  const at = new Date(now).toISOString();
  const since = new Date(now - limits.windowMs).toISOString();
  if (Math.random() < 0.02) await pruneLoginAttempts(db, since);
  const keys = [
    [userKey(ip, username), limits.perUser, 'user'],
    [addressKey(ip), limits.perAddress, 'address'],
  ] as const;
  return db.transaction().execute(async (trx) => {
    // Always in this order (user, then address), so two logins never wait on each other's locks.
    if (opts.dialect === 'postgres') for (const [key] of keys) await sql`select pg_advisory_xact_lock(hashtextextended(${`login:${key}`}, 0))`.execute(trx);
    for (const [key, limit, scope] of keys) {
      if ((await countLoginAttempts(trx, key, since)) >= limit) {
        const oldest = await oldestLoginAttempt(trx, key, since);
        const retryAfterSeconds = Math.max(1, Math.ceil(((oldest ? Date.parse(oldest) : now) + limits.windowMs - now) / 1000));
        return { ok: false as const, retryAfterSeconds, scope };
      }
    }
    for (const [key] of keys) await recordLoginAttempt(trx, key, at);
    return { ok: true as const };
  });
}

/** A successful login forgets that user's failures from this address. */
export async function loginSucceeded(db: Db, ip: string, username: string): Promise<void> {
  await clearLoginAttempts(db, userKey(ip, username));
}
