// API authentication: Bearer API keys (systems) carry a role; routes say which roles may call them.
// The desk and managers' consoles add user sessions on top (see server/http/sessions.ts when present).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { ApiKey, Role } from '../config';
import { AuthenticationError, ForbiddenError } from '../errors';

export interface Principal {
  /** "key:intake" (or "key:intake@province-centre" for a scoped key) for API keys, the user name for people. */
  id: string;
  role: Role;
  kind: 'api_key' | 'user';
  /** A scoped intake key: the warning sources it may post for and read back. Absent = every source. */
  sources?: string[];
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The configured key a request's `Authorization: Bearer …` matches, compared in constant time per key. */
export function findApiKey(keys: ApiKey[]): (authorization: string | undefined) => ApiKey | undefined {
  const hashed = keys.map((k) => ({ key: k, hash: digest(k.key) }));
  return (authorization) => {
    if (!authorization?.startsWith('Bearer ')) return undefined;
    const given = digest(authorization.slice(7).trim());
    let match: ApiKey | undefined;
    for (const k of hashed) if (timingSafeEqual(k.hash, given)) match = k.key;
    return match;
  };
}

/** Finds the API key's role (and, for a scoped intake key, its sources). */
export function apiKeyAuth(keys: ApiKey[]): RequestHandler {
  const find = findApiKey(keys);
  return (req, _res, next) => {
    const header = req.header('authorization');
    if (!header?.startsWith('Bearer ')) return next();
    const match = find(header);
    if (!match) return next(new AuthenticationError('API key is not valid'));
    req.principal = {
      id: match.sources ? `key:${match.role}@${match.sources.join('|')}` : `key:${match.role}`,
      role: match.role,
      kind: 'api_key',
      ...(match.sources ? { sources: match.sources } : {}),
    };
    next();
  };
}

/** Whether this principal may post warnings for, and read back warnings of, a source. */
export const mayUseSource = (p: Principal, source: string): boolean => !p.sources || p.sources.includes(source);

/** Allows the listed roles; admin may do everything. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res, next) => {
    const p = req.principal;
    if (!p) return next(new AuthenticationError());
    if (p.role !== 'admin' && !roles.includes(p.role)) return next(new ForbiddenError(`role ${p.role} may not do this; needs ${roles.join(' or ')}`));
    next();
  };
}
