// Worker role: processes the queues and sweeps for work whose job was lost (a case's due timer, an outbox
// row due, or a send whose worker went quiet).
import type { Job } from 'bull';
import type { Services } from '../services';
import { casesWithDueAction } from '../store/repositories/cases';
import { getOutbox } from '../store/repositories/outbox';
import { nowIso } from '../store/ids';
import { UnrecoverableJobError } from '../errors';
import { timedJob } from '../http/metrics';
import { runCaseEvent } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';
import { processCaseJob } from './case-jobs';
import { processRelayJob, sweepOutbox } from './outbox-relay';
import { enqueueCaseJob, type CaseJob } from './queues';
import { startSlaChecks } from './sla';
import { startOrgChecks } from '../org/checks';
import { startRetentionJob } from './retention-job';

export interface WorkerOptions {
  /** Case jobs (lifecycle timers) run at once in this process (default 8). */
  concurrency?: number;
  /** Outbox sends run at once (default 16): each mostly waits for the provider, so more overlap pays. */
  relayConcurrency?: number;
  /** How often the sweeper runs, ms. */
  sweepEveryMs?: number;
}

export interface Workers {
  stop(): Promise<void>;
  /** One sweep: re-queues due case timers and outbox rows; answers how many. */
  sweep(): Promise<number>;
}

/**
 * Automatic work on a case keeps failing (a provider or database outage): the sweeper will keep trying,
 * but a person must know now, so the citizen is never left with nobody.
 */
async function handOffStuckCase(s: Services, data: unknown, err: unknown): Promise<void> {
  const caseId = (data as { caseId?: unknown })?.caseId;
  const outboxId = (data as { outboxId?: unknown })?.outboxId;
  const id = typeof caseId === 'string' ? caseId : typeof outboxId === 'string' ? (await getOutbox(s.store.db, outboxId))?.case_id : undefined;
  if (!id) return;
  await runCaseEvent(s, id, { type: 'automation_failing', note: `automatic contact keeps failing: ${(err as Error)?.message?.slice(0, 200) ?? String(err)}` }, conversationPort, 'worker');
}

export function startWorkers(s: Services, opts: WorkerOptions = {}): Workers {
  const concurrency = opts.concurrency ?? 8;
  const wrap =
    <T>(name: string, fn: (s: Services, job: Job<T>) => Promise<string>) =>
    async (job: Job<T>) => {
      try {
        const result = await timedJob(name, fn)(s, job);
        s.log.debug({ queue: name, jobId: job.id, result }, 'job done');
        return result;
      } catch (err) {
        if (err instanceof UnrecoverableJobError) {
          // A malformed or impossible job is dropped with one log line, not retried forever.
          s.log.warn({ queue: name, jobId: job.id, err: err.message }, 'job dropped');
          await job.discard();
          throw err;
        }
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        // Report on the final attempt only, to avoid noise from intermediate retries.
        if (final) {
          s.log.error({ queue: name, jobId: job.id, err }, 'job failed for good');
          await handOffStuckCase(s, job.data, err).catch((e) => s.log.error({ err: e }, 'could not hand off a stuck case'));
        }
        throw err;
      }
    };
  // One processor for every case job name: bull adds up the concurrency of each named processor, which
  // gave 8 per name (80 at once) and left the relay's 8 behind every timer on one database connection.
  // (The job's name is only a label: the case row says what is due.)
  void s.queues.cases.process('*', concurrency, wrap<CaseJob>('cases', processCaseJob));
  void s.queues.delivery.process(opts.relayConcurrency ?? 16, wrap('delivery', processRelayJob));

  const sweep = async (): Promise<number> => {
    const due = await casesWithDueAction(s.store.db, nowIso(), 500);
    for (const d of due) await enqueueCaseJob(s.queues, { caseId: d.id, action: d.next_action as CaseJob['action'], due: d.next_action_at! }, { replaceFinished: true });
    return due.length + (await sweepOutbox(s));
  };
  let sweeping = false;
  const timer = setInterval(() => {
    if (sweeping) return;
    sweeping = true;
    sweep()
      .catch((err) => s.log.warn({ err: (err as Error).message }, 'outbox sweep failed'))
      .finally(() => (sweeping = false));
  }, opts.sweepEveryMs ?? 5000);
  timer.unref();
  const stopSla = startSlaChecks(s);
  const stopOrg = startOrgChecks(s);
  const stopRetention = startRetentionJob(s);

  return {
    sweep,
    async stop() {
      clearInterval(timer);
      stopSla();
      stopOrg();
      stopRetention();
      // Waits for active jobs to finish; queued ones stay in Redis for the next worker.
      await Promise.all([s.queues.cases.pause(true, false), s.queues.delivery.pause(true, false)]);
    },
  };
}
