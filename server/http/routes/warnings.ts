// POST /api/warnings — intake from upstream anti-fraud systems; GET /api/warnings/:source/:externalId —
// the status of a warning, for the system that posted it. A key scoped to sources posts only for them and
// never learns the id of a case another source's warning opened.
import express, { type Router } from 'express';
import { z } from 'zod';
import type { Services } from '../../services';
import { mayUseSource, requireRole, type Principal } from '../auth';
import { parseWith } from '../validate';
import { AppError, NotFoundError, ValidationError } from '../../errors';
import { findWarning, sourceThatOpened } from '../../store/repositories/warnings';
import { getCase } from '../../store/repositories/cases';
import { audit, bufferAudit, flushAudit } from '../../store/repositories/audit';
import { rememberFlowsWithoutTrial } from '../../store/repositories/trials';
import { isRetriableConflict, storeWarningOnce, validateWarning, type IntakeResult } from '../../cases/intake';
import { MAX_BATCH } from '../../cases/warning-schema';
import { dispatch } from '../../cases/outbox';
import { routeWarning } from '../../org/routing';
import { PendingEvents } from '../../events';
import { GroupCommitter } from '../../store/group-commit';
import { batchedJobs } from '../../jobs/bulk-enqueue';
import { intakeGroupMetrics } from '../metrics';

/**
 * Intake transactions in flight at once on PostgreSQL, each on its own pooled connection (the pool holds 10).
 * Eight, not four: a lane's units run one round trip after another, and more lanes overlap the waits (measured
 * with an `all` process on this 2-core machine, 32 single or 4 concurrent batch requests: batched intake about
 * twice as fast at 8 as at 4).
 */
export const PG_LANES = 8;
/** Most warnings in one intake transaction. */
const MAX_GROUP = 200;

const scopeMessage = (p: Principal, source: string) => `this key may post warnings for ${p.sources!.join(', ')} only, not for "${source}"`;

/** One warning's answer: an intake result, or only its status when the case is not the caller's to know. */
type IntakeAnswer = IntakeResult | { index: number; status: 'accepted' | 'duplicate' };

/** A scoped key learns the case of its warning only when one of its own sources opened that case. */
async function hideForeignCase(s: Services, p: Principal, r: IntakeResult): Promise<IntakeAnswer> {
  if (!p.sources || r.status === 'rejected' || (r.status === 'accepted' && r.newCase)) return r;
  const opener = await sourceThatOpened(s.store.db, r.caseId);
  if (opener !== undefined && p.sources.includes(opener)) return r;
  return { index: r.index, status: r.status };
}

const SCOPE_REASON = 'source: this key may post';

const statusParams = z.object({ source: z.string().min(1).max(100), externalId: z.string().min(1).max(200) });

export function warningsRoutes(s: Services): Router {
  const router = express.Router();
  // Concurrent requests' warnings share transactions (group commit); their jobs share Redis round trips.
  const { dialect } = s.store;
  const route = (hints: Parameters<typeof routeWarning>[1]) => routeWarning(s.org.units, hints);
  // The group's audit trail (several rows per warning) is written in one statement before its commit, and
  // a flow found without a running trial is not asked about again in the same group.
  const begin = (trx: Parameters<typeof bufferAudit>[0]) => {
    bufferAudit(trx);
    rememberFlowsWithoutTrial(trx);
  };
  const committer = new GroupCommitter(s.store.db, { lanes: dialect === 'postgres' ? PG_LANES : 1, maxBatch: MAX_GROUP, retriable: isRetriableConflict, begin, finish: flushAudit, observe: intakeGroupMetrics });
  const jobs = batchedJobs(s.queues);
  router.post('/api/warnings', requireRole('intake'), async (req, res) => {
    const body = req.body as unknown;
    if (body === undefined || body === null || typeof body !== 'object') throw new ValidationError('body must be a warning object or {"warnings":[…]} (send Content-Type: application/json)');
    const batch = Array.isArray((body as { warnings?: unknown }).warnings);
    const items: unknown[] = Array.isArray(body) ? body : batch ? (body as { warnings: unknown[] }).warnings : [body];
    if (items.length === 0) throw new ValidationError('warnings: must hold at least one warning');
    if (items.length > MAX_BATCH) throw new ValidationError(`warnings: at most ${MAX_BATCH} per request, got ${items.length}`);

    const answered = s.intakeFirst.arriving(items.length);
    res.on('close', answered);
    // Each warning (with its case's decision) is its own unit of work in a shared transaction: one that fails
    // never undoes the others (the group runs again without it), and answers wait for the commit.
    const principal = req.principal!;
    const stored = await Promise.allSettled(
      items.map(async (raw, index): Promise<IntakeResult> => {
        const v = validateWarning(raw, s.config.defaultRegion);
        if (!v.ok) return { index, status: 'rejected', reason: v.reason };
        if (!mayUseSource(principal, v.value.input.source)) return { index, status: 'rejected', reason: `${SCOPE_REASON}${scopeMessage(principal, v.value.input.source).slice('this key may post'.length)}` };
        const { result, pending } = await committer.run(async (trx) => {
          const pending = new PendingEvents();
          return { result: await storeWarningOnce(trx, index, v.value, principal.id, { dialect, decide: s, route }, pending), pending };
        }, v.value.phone);
        pending.flushTo(s.events);
        return result;
      }),
    );
    const failure = stored.find((r) => r.status === 'rejected');
    // The others are stored; the upstream's retry of the whole request finds them as duplicates.
    if (failure) throw failure.reason;
    const results = stored.map((r) => (r as PromiseFulfilledResult<IntakeResult>).value);
    // Fast path to the relay and the timers (one addBulk per queue for the whole group); if Redis is down the
    // sweeper queues them once it is back. Bounded: while Redis is down its client queues commands until it
    // is back, which would hold the answer.
    await Promise.all(results.flatMap((r) => (r.status === 'accepted' && r.work ? [dispatch(s, r.work, jobs)] : [])));
    for (const r of results) if (r.status === 'accepted') delete r.work;
    const answers: IntakeAnswer[] = [];
    for (const r of results) answers.push(await hideForeignCase(s, principal, r));
    const summary = { accepted: 0, duplicate: 0, rejected: 0 };
    for (const r of answers) summary[r.status] += 1;
    const single = !batch && !Array.isArray(body);
    const first = answers[0]!;
    if (single && 'reason' in first && first.reason.startsWith(SCOPE_REASON)) throw new AppError(403, 'source_not_allowed', first.reason.slice('source: '.length));
    if (single && 'reason' in first) {
      res.status(400).json({ error: 'validation_error', message: `invalid warning: ${first.reason}`, ...summary, results: answers });
      return;
    }
    res.status(202).json(single ? { ...first, ...summary, results: answers } : { ...summary, results: answers });
  });

  router.get('/api/warnings/:source/:externalId', requireRole('intake'), async (req, res) => {
    const { source, externalId } = parseWith(statusParams, req.params, 'warning');
    const principal = req.principal!;
    const w = mayUseSource(principal, source) ? await findWarning(s.store.db, source, externalId) : undefined;
    await audit(s.store.db, { caseId: w?.case_id ?? null, actor: principal.id, action: 'warning_status_read', detail: { source, externalId, found: !!w } });
    if (!w) throw new NotFoundError(`no warning ${source}/${externalId} from this key's sources`);
    const opener = await sourceThatOpened(s.store.db, w.case_id);
    const c = opener !== undefined && mayUseSource(principal, opener) ? await getCase(s.store.db, w.case_id) : undefined;
    res.json({
      source,
      externalId,
      status: 'accepted',
      receivedAt: w.received_at,
      case: c ? { caseRef: c.case_ref, status: c.status, outcome: c.outcome, openedAt: c.opened_at, closedAt: c.closed_at } : null,
    });
  });
  return router;
}
