// POST /api/warnings — intake from upstream anti-fraud systems.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { requireRole } from '../auth';
import { ValidationError } from '../../errors';
import { isRetriableConflict, storeWarningOnce, validateWarning, type IntakeResult } from '../../cases/intake';
import { MAX_BATCH } from '../../cases/warning-schema';
import { GroupCommitter } from '../../store/group-commit';
import { caseJobBatcher } from '../../jobs/bulk-enqueue';

/** Intake transactions in flight at once on PostgreSQL, each on its own pooled connection (the pool holds 10). */
const PG_LANES = 4;
/** Most warnings in one intake transaction. */
const MAX_GROUP = 200;

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
  // Concurrent requests' warnings share transactions (group commit) and their jobs share one Redis round trip.
  const lockRows = s.store.dialect === 'postgres';
  const committer = new GroupCommitter(s.store.db, { lanes: lockRows ? PG_LANES : 1, maxBatch: MAX_GROUP, retriable: isRetriableConflict });
  const jobs = caseJobBatcher(s.queues);
  router.post('/api/warnings', requireRole('intake'), async (req, res) => {
    const body = req.body as unknown;
    if (body === undefined || body === null || typeof body !== 'object') throw new ValidationError('body must be a warning object or {"warnings":[…]} (send Content-Type: application/json)');
    const batch = Array.isArray((body as { warnings?: unknown }).warnings);
    const items: unknown[] = Array.isArray(body) ? body : batch ? (body as { warnings: unknown[] }).warnings : [body];
    if (items.length === 0) throw new ValidationError('warnings: must hold at least one warning');
    if (items.length > MAX_BATCH) throw new ValidationError(`warnings: at most ${MAX_BATCH} per request, got ${items.length}`);

    // Each warning is its own unit of work: one that fails never undoes the others (the group commit runs
    // its transaction again without it). Answers are given only once their transaction has committed.
    const actor = req.principal!.id;
    const stored = await Promise.allSettled(
      items.map((raw, index): Promise<IntakeResult> => {
        const v = validateWarning(raw, s.config.defaultRegion);
        return v.ok ? committer.run((trx) => storeWarningOnce(trx, index, v.value, actor, lockRows)) : Promise.resolve({ index, status: 'rejected', reason: v.reason });
      }),
    );
    const failure = stored.find((r) => r.status === 'rejected');
    // The others are stored; the upstream's retry of the whole request finds them as duplicates.
    if (failure) throw failure.reason;
    const results = stored.map((r) => (r as PromiseFulfilledResult<IntakeResult>).value);
    // Fast path to the workers; if Redis is down the outbox sweeper queues them once it is back.
    // storeWarning reports the case's outbox entry, so the case is not read again here.
    await Promise.all(
      results.map(async (r) => {
        if (r.status !== 'accepted' || !r.due) return;
        // Bounded: while Redis is down its client queues commands until it is back, which would hold the answer.
        await withTimeout(jobs.add({ caseId: r.caseId, action: r.due.action as 'triage', due: r.due.at }), ENQUEUE_WAIT_MS).catch((err) =>
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
