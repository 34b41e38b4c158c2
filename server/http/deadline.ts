// Every API request has a deadline. A database or Redis call that does not answer (a server that stopped
// responding, a pool with no free connection) would otherwise hold the caller — a desk officer — for as
// long as TCP allows; at the deadline the caller gets a 503 with retry advice instead. What the handler
// started goes on: its late answer goes nowhere, and an idempotent write records it for the retry.
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Set when the deadline answered for the handler. */
    deadlinePassed?: boolean;
  }
}

/** Streams are meant to stay open. */
const UNBOUNDED = new Set(['/api/desk/stream']);
/** What the caller is told to wait before retrying. */
export const RETRY_AFTER_SECONDS = 5;

export function requestDeadline(ms: number, log: Logger): RequestHandler {
  return (req, res, next) => {
    if (UNBOUNDED.has(req.path) || UNBOUNDED.has(req.originalUrl.split('?')[0]!)) return next();
    const send = res.send.bind(res);
    const timer = setTimeout(() => {
      if (res.headersSent) return;
      res.locals.deadlinePassed = true;
      log.warn({ reqId: req.id, method: req.method, path: req.path, deadlineMs: ms }, 'request deadline passed');
      res.status(503).setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.type('application/json');
      // Sent past res.json: a handler's capture of its own answer (idempotency) must not record this one.
      send(
        JSON.stringify({
          error: 'dependency_timeout',
          message: `the request did not finish within ${Math.round(ms / 100) / 10} s (the database or Redis is slow or down): retry in ${RETRY_AFTER_SECONDS} s — a desk message or call retried with the same Idempotency-Key is never sent twice`,
        }),
      );
    }, ms);
    const clear = () => clearTimeout(timer);
    res.once('finish', clear);
    res.once('close', clear);
    next();
  };
}
