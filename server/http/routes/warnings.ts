// POST /api/warnings — intake from upstream anti-fraud systems.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { ValidationError } from '../../errors';
import { storeWarning, validateWarning, type IntakeResult } from '../../cases/intake';
import { MAX_BATCH } from '../../cases/warning-schema';
import { enqueueCaseJob } from '../../jobs/queues';
import { routeWarning } from '../../org/routing';

/** Warnings of one batch stored at the same time on PostgreSQL (the pool holds 10 connections). */
const STORE_CONCURRENCY = 4;

/** How long an intake answer waits for Redis before leaving the case to the outbox sweeper. */
const ENQUEUE_WAIT_MS = 1000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

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
    const route = (hints: Parameters<typeof routeWarning>[1]) => routeWarning(s.org.units, hints);
    let next = 0;
    const storeNext = async (): Promise<void> => {
      for (let index = next++; index < items.length; index = next++) {
        const v = validateWarning(items[index], s.config.defaultRegion);
        results[index] = v.ok ? await storeWarning(s.store.db, index, v.value, req.principal!.id, { lockRows, route }) : { index, status: 'rejected', reason: v.reason };
      }
    };
    await Promise.all(Array.from({ length: lockRows ? STORE_CONCURRENCY : 1 }, storeNext));
    // Fast path to the workers; if Redis is down the outbox sweeper queues them once it is back.
    // storeWarning reports the case's outbox entry, so the case is not read again here.
    await Promise.all(
      results.map(async (r) => {
        if (r.status !== 'accepted' || !r.due) return;
        // Bounded: while Redis is down its client queues commands until it is back, which would hold the answer.
        await withTimeout(enqueueCaseJob(s.queues, { caseId: r.caseId, action: r.due.action as 'triage', due: r.due.at }), ENQUEUE_WAIT_MS).catch((err) =>
          s.log.warn({ err: (err as Error).message }, 'enqueue failed; sweeper will retry'),
        );
      }),
    );
    for (const r of results) if (r.status === 'accepted') delete r.due;
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
