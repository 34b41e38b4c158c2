// Every request gets an id (the caller's X-Request-Id when it is a sane one, else a new one), echoed in
// the answer and carried by every log line about it; one access-log line is written when it ends.
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

declare module 'express-serve-static-core' {
  interface Request {
    /** The request id: X-Request-Id from the caller (letters, digits, . _ : -, at most 64), or a new UUID. */
    id: string;
  }
}

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;
/** Probes and scrapes arrive every few seconds: logged at debug so they do not drown the rest. */
const QUIET = new Set(['/healthz', '/readyz', '/metrics']);

export function accessLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.header('x-request-id');
    req.id = given && SANE_ID.test(given) ? given : randomUUID();
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    let written = false;
    const done = () => {
      if (written) return;
      written = true;
      const line = {
        reqId: req.id,
        method: req.method,
        // The path only: a query string may carry anything; the logger masks numbers in what is left.
        path: req.path,
        status: res.headersSent ? res.statusCode : 0,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        ip: req.ip,
        ...(req.principal ? { principal: req.principal.id } : {}),
        ...(res.writableFinished ? {} : { aborted: true }),
      };
      if (QUIET.has(req.path)) log.debug(line, 'request');
      else log.info(line, 'request');
    };
    res.once('finish', done);
    res.once('close', done);
    next();
  };
}
