// People's sessions for the consoles: login/logout, the session cookie, and CSRF protection.
// API keys (server/http/auth.ts) stay the way systems authenticate; a session only applies when no key was sent.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../services';
import { AppError, AuthenticationError } from '../errors';
import { parseWith } from './validate';
import { dummyHash, verifyPassword } from '../people/passwords';
import { DEFAULT_LOGIN_LIMITS, loginSucceeded, takeLoginAttempt, type LoginLimits } from '../people/rate-limit';
import { findUserByUsername, type UserRole } from '../store/repositories/users';
import { deleteSession, findLiveSession, insertSession, touchSession } from '../store/repositories/sessions';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';
import type { UserRow } from '../store/schema';

/** A signed-in person, as handlers see them. */
export interface SessionUser {
  id: string;
  username: string;
  role: UserRole;
  displayName: string | null;
  phone: string | null;
}

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser;
    /** Set when the request was authenticated by the session cookie (not by an API key). */
    sessionAuth?: { idHash: string; csrfToken: string };
  }
}

export class CsrfError extends AppError {
  constructor() {
    super(403, 'csrf_token_invalid', 'missing or wrong X-CSRF-Token header: reload the page and try again');
  }
}
export class TooManyLoginAttemptsError extends AppError {
  constructor(readonly retryAfterSeconds: number, scope: 'user' | 'address') {
    super(
      429,
      'too_many_login_attempts',
      scope === 'user'
        ? `too many login attempts for this user from your address: wait ${retryAfterSeconds} s and try again`
        : `too many login attempts from your address: wait ${retryAfterSeconds} s and try again`,
    );
  }
}

/** A desk shift: the session ends after 8 idle hours, and in any case 16 hours after login. */
const IDLE_MS = 8 * 3600_000;
const ABSOLUTE_MS = 16 * 3600_000;
/** last_seen_at is written at most once a minute per session. */
const TOUCH_EVERY_MS = 60_000;

export interface SessionOptions {
  limits?: LoginLimits;
}

const hashId = (id: string) => createHash('sha256').update(id).digest('hex');
const secureCookies = (s: Services) => s.config.publicUrl?.startsWith('https://') ?? false;
/** Behind TLS the __Host- prefix makes browsers refuse the cookie unless Secure, host-only and Path=/. */
export const sessionCookieName = (s: Services) => (secureCookies(s) ? '__Host-qz_session' : 'qz_session');

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.header('cookie');
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) {
      try {
        return decodeURIComponent(part.slice(i + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

function setSessionCookie(s: Services, res: Response, value: string, maxAgeMs: number): void {
  res.cookie(sessionCookieName(s), value, { httpOnly: true, sameSite: 'lax', secure: secureCookies(s), path: '/', maxAge: maxAgeMs });
}

const sameToken = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export const presentUser = (u: SessionUser | UserRow) =>
  'password_hash' in u
    ? { id: u.id, username: u.username, role: u.role, displayName: u.display_name, hasPhone: !!u.phone }
    : { id: u.id, username: u.username, role: u.role, displayName: u.displayName, hasPhone: !!u.phone };

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Authenticates by the session cookie when no API key did, and requires the session's CSRF token in
 * X-CSRF-Token on every state-changing request made that way (the login itself excepted).
 */
export function sessionAuth(s: Services): RequestHandler {
  return async (req, res, next) => {
    try {
      if (req.principal) return next();
      const cookie = readCookie(req, sessionCookieName(s));
      if (!cookie) return next();
      const idHash = hashId(cookie);
      const found = await findLiveSession(s.store.db, idHash);
      if (!found) {
        res.clearCookie(sessionCookieName(s), { path: '/' });
        return next();
      }
      const { session, user } = found;
      const isLogin = req.method === 'POST' && req.path === '/session';
      if (UNSAFE.has(req.method) && !isLogin) {
        const given = req.header('x-csrf-token');
        if (!given || !sameToken(given, session.csrf_token)) return next(new CsrfError());
      }
      const now = Date.now();
      if (now - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
        const expires = Math.min(now + IDLE_MS, Date.parse(session.created_at) + ABSOLUTE_MS);
        await touchSession(s.store.db, idHash, new Date(now).toISOString(), new Date(expires).toISOString());
      }
      req.user = { id: user.id, username: user.username, role: user.role, displayName: user.display_name, phone: user.phone };
      req.principal = { id: user.username, role: user.role, kind: 'user' };
      req.sessionAuth = { idHash, csrfToken: session.csrf_token };
      next();
    } catch (err) {
      next(err);
    }
  };
}

const loginSchema = z.object({
  username: z.string().trim().min(1, 'required').max(64),
  password: z.string().min(1, 'required').max(200),
});

/** POST /api/session (log in), GET /api/session (who am I + CSRF token), DELETE /api/session (log out). */
export function sessionRoutes(s: Services, opts: SessionOptions = {}): Router {
  const limits = opts.limits ?? DEFAULT_LOGIN_LIMITS;
  const router = express.Router();

  router.post('/api/session', async (req, res) => {
    const body = parseWith(loginSchema, req.body ?? {}, 'login');
    const ip = req.ip ?? 'unknown';
    const gate = await takeLoginAttempt(s.store.db, ip, body.username, limits, { dialect: s.store.dialect });
    if (!gate.ok) {
      await audit(s.store.db, { actor: body.username.toLowerCase(), action: 'login_throttled', detail: { ip, scope: gate.scope } });
      res.setHeader('Retry-After', String(gate.retryAfterSeconds));
      throw new TooManyLoginAttemptsError(gate.retryAfterSeconds, gate.scope);
    }
    const user = await findUserByUsername(s.store.db, body.username);
    const ok = user && !user.disabled_at ? await verifyPassword(body.password, user.password_hash) : (await verifyPassword(body.password, await dummyHash()), false);
    if (!user || !ok) {
      await audit(s.store.db, { actor: body.username.toLowerCase(), action: 'login_failed', detail: { ip } });
      throw new AppError(401, 'invalid_credentials', 'wrong username or password');
    }
    await loginSucceeded(s.store.db, ip, body.username);
    // A fresh id at every login: a cookie planted before login is never promoted to a session.
    const old = readCookie(req, sessionCookieName(s));
    if (old) await deleteSession(s.store.db, hashId(old));
    const id = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const now = nowIso();
    await insertSession(s.store.db, {
      id_hash: hashId(id),
      user_id: user.id,
      csrf_token: csrfToken,
      ip,
      user_agent: req.header('user-agent')?.slice(0, 300) ?? null,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(Date.now() + IDLE_MS).toISOString(),
    });
    await audit(s.store.db, { actor: user.username, action: 'login', detail: { ip } });
    setSessionCookie(s, res, id, ABSOLUTE_MS);
    res.json({ user: presentUser(user), csrfToken });
  });

  router.get('/api/session', (req, res) => {
    if (!req.user || !req.sessionAuth) throw new AuthenticationError('not signed in');
    res.json({ user: presentUser(req.user), csrfToken: req.sessionAuth.csrfToken });
  });

  router.delete('/api/session', async (req, res) => {
    if (req.sessionAuth) {
      await deleteSession(s.store.db, req.sessionAuth.idHash);
      await audit(s.store.db, { actor: req.user!.username, action: 'logout' });
    }
    res.clearCookie(sessionCookieName(s), { path: '/' });
    res.status(204).end();
  });

  return router;
}
