// Prometheus metrics: what the operators watch. Timings are observed where the work happens (jobs,
// webhooks, classifier); queue and handoff figures are read fresh at each scrape.
import express, { type RequestHandler, type Router } from 'express';
import type { Job } from 'bull';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Services } from '../services';
import type { ApiKey } from '../config';
import { apiKeyAuth, requireRole } from './auth';
import { UnrecoverableJobError } from '../errors';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'quanzu_' });

const jobDuration = new Histogram({
  name: 'quanzu_job_duration_seconds',
  help: 'Time a job processor ran, by queue, job name and result (ok, retry, failed, dropped).',
  labelNames: ['queue', 'name', 'result'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const jobFailures = new Counter({
  name: 'quanzu_job_failures_total',
  help: 'Job attempts that threw, by queue, job name and whether it was the last attempt (final=true: failed for good).',
  labelNames: ['queue', 'name', 'final'] as const,
  registers: [registry],
});
const webhookDuration = new Histogram({
  name: 'quanzu_webhook_duration_seconds',
  help: 'Time to answer a provider webhook, by route and HTTP status. Twilio gives up after 15 s.',
  labelNames: ['route', 'status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
  registers: [registry],
});
const classifierDuration = new Histogram({
  name: 'quanzu_classifier_duration_seconds',
  help: 'Time to classify one citizen reply.',
  buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.05, 0.1],
  registers: [registry],
});
const intakeGroupSize = new Histogram({
  name: 'quanzu_intake_group_size',
  help: 'Warnings committed together in one intake transaction (group commit).',
  buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
  registers: [registry],
});
const intakeGroupReruns = new Counter({
  name: 'quanzu_intake_group_reruns_total',
  help: 'Intake transactions rolled back because one warning in them failed, and run again (without it, or with it once more after a race).',
  registers: [registry],
});
/** What the intake's group commit reports (server/store/group-commit.ts). */
export const intakeGroupMetrics = { committed: (units: number) => intakeGroupSize.observe(units), rerun: () => intakeGroupReruns.inc() };
const queueJobs = new Gauge({ name: 'quanzu_queue_jobs', help: 'Jobs in each queue by state.', labelNames: ['queue', 'state'] as const, registers: [registry] });
const queueOldest = new Gauge({
  name: 'quanzu_queue_oldest_waiting_seconds',
  help: 'Age of the oldest job waiting for a worker (0 when none waits).',
  labelNames: ['queue'] as const,
  registers: [registry],
});
const handoffsOpen = new Gauge({
  name: 'quanzu_handoffs_open',
  help: 'Handoffs not yet resolved, by priority and status (open = nobody has claimed it).',
  labelNames: ['priority', 'status'] as const,
  registers: [registry],
});
const slaBreached = new Gauge({
  name: 'quanzu_handoffs_sla_breached',
  help: 'Unclaimed handoffs past their SLA right now, by priority.',
  labelNames: ['priority'] as const,
  registers: [registry],
});
const escalated = new Gauge({
  name: 'quanzu_handoffs_escalated_24h',
  help: 'Handoffs escalated to supervisors (SLA breached) in the last 24 hours, by priority.',
  labelNames: ['priority'] as const,
  registers: [registry],
});
const classifierLoaded = new Gauge({
  name: 'quanzu_classifier_loaded',
  help: 'Whether this process has loaded the reply classifier (1 in web processes; workers never classify, so 0).',
  registers: [registry],
});
const sendsWaitingForIntake = new Gauge({
  name: 'quanzu_relay_sends_waiting_for_intake',
  help: 'Outreach sends in this process held back while a burst of warnings is being answered (server/jobs/intake-first.ts).',
  registers: [registry],
});
const flowPublished = new Gauge({ name: 'quanzu_flow_published_version', help: 'The flow version new conversations start on.', labelNames: ['flow'] as const, registers: [registry] });

/** Wraps a job processor so each run's duration and failure is counted. */
export function timedJob<T, R>(queue: string, fn: (s: Services, job: Job<T>) => Promise<R>): (s: Services, job: Job<T>) => Promise<R> {
  return async (s, job) => {
    const end = jobDuration.startTimer({ queue, name: job.name || queue });
    try {
      const r = await fn(s, job);
      end({ result: 'ok' });
      return r;
    } catch (err) {
      const dropped = err instanceof UnrecoverableJobError;
      const final = dropped || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      end({ result: dropped ? 'dropped' : final ? 'failed' : 'retry' });
      jobFailures.inc({ queue, name: job.name || queue, final: String(final) });
      throw err;
    }
  };
}

/** Times a classification (synchronous: nlp.js answers in well under a millisecond). */
export function timedClassify<T>(fn: () => T): T {
  const end = classifierDuration.startTimer();
  try {
    return fn();
  } finally {
    end();
  }
}

/** Observes how long each webhook took to answer, labelled by its route (no ids, bounded label values). */
export function webhookLatency(): RequestHandler {
  return (req, res, next) => {
    const end = webhookDuration.startTimer();
    res.once('finish', () => {
      const route = `${req.baseUrl}${req.path}`.replace(/\/[0-9a-f-]{16,}/gi, '/:id').slice(0, 60);
      end({ route, status: String(res.statusCode) });
    });
    next();
  };
}

async function readGauges(s: Services): Promise<void> {
  const now = Date.now();
  for (const [name, q] of Object.entries({ cases: s.queues.cases, delivery: s.queues.delivery })) {
    const counts = await q.getJobCounts();
    for (const [state, n] of Object.entries(counts)) queueJobs.set({ queue: name, state }, Number(n));
    const [oldest] = await q.getJobs(['waiting'], 0, 0, true);
    queueOldest.set({ queue: name }, oldest ? Math.max(0, (now - oldest.timestamp - (oldest.opts.delay ?? 0)) / 1000) : 0);
  }
  handoffsOpen.reset();
  slaBreached.reset();
  escalated.reset();
  const nowIso = new Date(now).toISOString();
  const open = await s.store.db
    .selectFrom('handoffs')
    .select(['priority', 'status', 'sla_due_at', 'escalated_at'])
    .where('status', '<>', 'resolved')
    .execute();
  for (const h of open) {
    handoffsOpen.inc({ priority: String(h.priority), status: h.status });
    if (h.status === 'open' && h.sla_due_at < nowIso) slaBreached.inc({ priority: String(h.priority) });
  }
  for (const p of new Set(open.map((h) => String(h.priority)))) {
    handoffsOpen.inc({ priority: p, status: 'open' }, 0);
    slaBreached.inc({ priority: p }, 0);
  }
  const since = new Date(now - 24 * 3600_000).toISOString();
  const esc = await s.store.db.selectFrom('handoffs').select(['priority']).where('escalated_at', '>=', since).execute();
  for (const h of esc) escalated.inc({ priority: String(h.priority) });
  classifierLoaded.set(s.classifier.loaded ? 1 : 0);
  sendsWaitingForIntake.set(s.intakeFirst.sends.waiting);
  flowPublished.reset();
  for (const id of s.flows.ids()) {
    const v = s.flows.publishedVersion?.(id) ?? s.flows.current(id)?.version;
    if (v !== undefined) flowPublished.set({ flow: id }, v);
  }
}

/** GET /metrics for Prometheus: an API key with role manager (or admin), sent as a bearer token. */
export function metricsRoutes(s: Services, keys: ApiKey[]): Router {
  const router = express.Router();
  router.get('/metrics', apiKeyAuth(keys), requireRole('manager'), async (_req, res) => {
    await readGauges(s);
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
