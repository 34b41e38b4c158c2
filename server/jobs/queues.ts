// The bull queues and what travels on them. The database is the source of truth — a case's next action
// (cases.next_action) and the outbox (every outbound effect); a job is only a prompt to act on it, so a
// lost or duplicated job does no harm.
import Queue from 'bull';
import { CASE_ACTIONS, type CaseAction } from '../cases/lifecycle';
import type { RedisConnections } from './redis';

/** A case's timer is due: the lifecycle fires whatever is due then. */
export interface CaseJob {
  caseId: string;
  action: CaseAction;
  /** The case's next_action_at this job was queued for; a job whose moment has passed is stale. */
  due: string;
}

/** Names case jobs are queued under: the lifecycle's actions, and names of jobs queued before it existed. */
export const CASE_JOB_NAMES: readonly string[] = [...CASE_ACTIONS, 'retriage', 'confirm_attempt', 'contact_relative'];

/** Send one outbox row (a call, a warning, a reply prompt, a desk or relative message, a follow-up). */
export interface RelayJob {
  outboxId: string;
  /** The row's due moment this job was queued for (a new moment, e.g. a confirmation, gets a new job). */
  due: string;
}

export interface Queues {
  cases: Queue.Queue<CaseJob>;
  /** The outbox relay (named 'delivery' since before the outbox existed). */
  delivery: Queue.Queue<RelayJob>;
  close(): Promise<void>;
}

export function createQueues(redis: RedisConnections, prefix: string): Queues {
  const opts: Queue.QueueOptions = {
    prefix,
    // ioredis 6 clients are structurally what bull expects; the types differ by major version only.
    createClient: ((type: 'client' | 'subscriber' | 'bclient') => redis.create(type)) as unknown as Queue.QueueOptions['createClient'],
    defaultJobOptions: {
      attempts: 6,
      backoff: { type: 'exponential', delay: 2000 },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    },
    settings: { stalledInterval: 5000, maxStalledCount: 2, lockDuration: 30000 },
  };
  const cases = new Queue<CaseJob>('cases', opts);
  const delivery = new Queue<RelayJob>('delivery', opts);
  return {
    cases,
    delivery,
    async close() {
      await Promise.all([cases.close(), delivery.close()]);
    },
  };
}

/** A stable job id makes re-queuing the same due action a no-op while the first is pending. */
export const caseJobId = (j: CaseJob): string => `${j.action}:${j.caseId}:${j.due}`;
export const relayJobId = (j: RelayJob): string => `outbox:${j.outboxId}:${j.due}`;

async function addOnce<T>(queue: Queue.Queue<T>, name: string | undefined, jobId: string, data: T, due: string, replaceFinished: boolean): Promise<void> {
  if (replaceFinished) {
    const old = await queue.getJob(jobId);
    if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
  }
  const delay = Math.max(0, Date.parse(due) - Date.now());
  if (name) await queue.add(name, data, { jobId, delay });
  else await queue.add(data, { jobId, delay });
}

/**
 * Queues a case's due action. With `replaceFinished` (the sweeper), a job of the same id that already
 * finished or failed for good is removed first: the case still wants the action, so it runs again.
 */
export async function enqueueCaseJob(queues: Queues, job: CaseJob, opts: { replaceFinished?: boolean } = {}): Promise<void> {
  await addOnce(queues.cases, job.action, caseJobId(job), job, job.due, opts.replaceFinished ?? false);
}

export async function enqueueRelay(queues: Queues, job: RelayJob, opts: { replaceFinished?: boolean } = {}): Promise<void> {
  await addOnce(queues.delivery, undefined, relayJobId(job), job, job.due, opts.replaceFinished ?? false);
}
