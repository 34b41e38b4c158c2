// POST /api/warnings — intake from upstream anti-fraud systems.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { ValidationError } from '../../errors';
import { storeWarning, validateWarning, type IntakeResult } from '../../cases/intake';
import { MAX_BATCH } from '../../cases/warning-schema';
import { dispatch } from '../../cases/outbox';

/** Warnings of one batch stored at the same time on PostgreSQL (the pool holds 10 connections). */
const STORE_CONCURRENCY = 4;

export function warningsRoutes(s: Services): Router {
  const router = express.Router();
  router.post('/api/warnings', requireRole('intake'), async (req, res) => {
    const body = req.body as unknown;
    if (body === undefined || body === null || typeof body !== 'object') throw new ValidationError('body must be a warning object or {"warnings":[…]} (send Content-Type: application/json)');
    const batch = Array.isArray((body as { warnings?: unknown }).warnings);
    const items: unknown[] = Array.isArray(body) ? body : batch ? (body as { warnings: unknown[] }).warnings : [body];
    if (items.length === 0) throw new ValidationError('warnings: must hold at least one warning');
    if (items.length > MAX_BATCH) throw new ValidationError(`warnings: at most ${MAX_BATCH} per request, got ${items.length}`);

    // Each warning is its own transaction, so one bad warning never undoes the others. On PostgreSQL
    // several run at once (each on its own pooled connection); SQLite has one connection anyway.
    const results: IntakeResult[] = new Array(items.length);
    const lockRows = s.store.dialect === 'postgres';
    let next = 0;
    const storeNext = async (): Promise<void> => {
      for (let index = next++; index < items.length; index = next++) {
        const v = validateWarning(items[index], s.config.defaultRegion);
        results[index] = v.ok ? await storeWarning(s.store.db, index, v.value, req.principal!.id, { lockRows, decide: s }) : { index, status: 'rejected', reason: v.reason };
      }
    };
    await Promise.all(Array.from({ length: lockRows ? STORE_CONCURRENCY : 1 }, storeNext));
    // Fast path to the relay and the timers; if Redis is down the sweeper queues them once it is back.
    // Bounded: while Redis is down its client queues commands until it is back, which would hold the answer.
    await Promise.all(results.map((r) => (r.status === 'accepted' && r.work ? dispatch(s, r.work) : undefined)));
    for (const r of results) if (r.status === 'accepted') delete r.work;
    const summary = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of results) summary[r.status] += 1;
    const single = !batch && !Array.isArray(body);
    const first = results[0]!;
    if (single && first.status === 'rejected') {
      res.status(400).json({ error: 'validation_error', message: `invalid warning: ${first.reason}`, ...summary, results });
      return;
    }
    res.status(202).json(single ? { ...first, ...summary, results } : { ...summary, results });
  });
  return router;
}
