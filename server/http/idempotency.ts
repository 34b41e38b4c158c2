// Desk writes that reach a citizen (a message, a call) are idempotent by a client-supplied key: the
// console sends `Idempotency-Key: <random>` with each new action and the same key when it retries. The
// first request runs and its answer is kept; a retry with the same key gets that answer back
// (`Idempotent-Replayed: true`), or 409 while the first is still running — the action never runs twice.
// A request without the header runs as before.
import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import type { Services } from '../services';
import { AppError, errorResponse } from '../errors';
import { claimIdempotencyKey, completeIdempotencyKey } from '../store/repositories/idempotency';

const KEY = /^[A-Za-z0-9_.:-]{8,128}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

type Handler = (req: Request, res: Response) => Promise<void>;

export function idempotent(s: Services, action: string, handler: Handler): RequestHandler {
  return async (req, res, next) => {
    try {
      const given = req.header('idempotency-key');
      if (given === undefined) return await handler(req, res);
      if (!KEY.test(given)) throw new AppError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 8 to 128 letters, digits, _ . : or - (a new random one per message or call, e.g. a UUID)');
      const keyHash = sha256(`${req.principal!.id}\u0000${action}\u0000${given}`);
      const fingerprint = sha256(JSON.stringify([action, req.params, req.body ?? null]));
      const claim = await claimIdempotencyKey(s.store.db, keyHash, fingerprint);
      if (!claim.claimed) {
        const row = claim.row;
        if (row.fingerprint !== fingerprint)
          throw new AppError(422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request: use a new key for a new message or call');
        if (row.status === 'pending') {
          res.setHeader('Retry-After', '2');
          throw new AppError(409, 'request_in_progress', 'the first request with this Idempotency-Key is still being carried out: retry with the same key in a few seconds to get its result (it will not be sent twice)');
        }
        res.setHeader('Idempotent-Replayed', 'true');
        res.status(row.response_status ?? 200).json(JSON.parse(row.response_body ?? 'null'));
        return;
      }
      // The first answer, whatever it is (an error included), is the answer to every retry.
      let answered: { status: number; body: unknown } | undefined;
      const json = res.json.bind(res);
      res.json = (body: unknown) => {
        answered = { status: res.statusCode, body };
        // Past the deadline the caller already has a 503; the result is kept for the retry.
        return res.headersSent ? res : json(body);
      };
      try {
        await handler(req, res);
      } catch (err) {
        const r = errorResponse(err);
        answered = { status: r.status, body: r.body };
        throw err;
      } finally {
        res.json = json;
        const first = answered ?? { status: res.statusCode, body: null };
        await completeIdempotencyKey(s.store.db, keyHash, first.status, first.body);
      }
    } catch (err) {
      next(err);
    }
  };
}
