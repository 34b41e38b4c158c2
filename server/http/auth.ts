// API authentication: Bearer API keys (systems) carry a role; routes say which roles may call them.
// The desk and managers' consoles add user sessions on top (see server/http/sessions.ts when present).
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { ApiKey, Role } from '../config';
import { AuthenticationError, ForbiddenError } from '../errors';

export interface Principal {
  /** "key:intake" for API keys, the user name for people. */
  id: string;
  role: Role;
  kind: 'api_key' | 'user';
}

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Finds the API key's role in constant time per configured key. */
export function apiKeyAuth(keys: ApiKey[]): RequestHandler {
  const hashed = keys.map((k) => ({ role: k.role, hash: digest(k.key) }));
  return (req, _res, next) => {
    const header = req.header('authorization');
    if (!header?.startsWith('Bearer ')) return next();
    const given = digest(header.slice(7).trim());
    let match: Role | undefined;
    for (const k of hashed) if (timingSafeEqual(k.hash, given)) match = k.role;
    if (!match) return next(new AuthenticationError('API key is not valid'));
    req.principal = { id: `key:${match}`, role: match, kind: 'api_key' };
    next();
  };
}

/** Allows the listed roles; admin may do everything. */
export function requireRole(...roles: Role[]): RequestHandler {
  return (req: Request, _res, next) => {
    const p = req.principal;
    if (!p) return next(new AuthenticationError());
    if (p.role !== 'admin' && !roles.includes(p.role)) return next(new ForbiddenError(`role ${p.role} may not do this; needs ${roles.join(' or ')}`));
    next();
  };
}
