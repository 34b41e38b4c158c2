// The bull queues and what travels on them. The database is the source of truth (cases.next_action is an
// outbox); a job is only a prompt to act on it, so a lost or duplicated job does no harm.
import Queue from 'bull';
import type { RedisConnections } from './redis';

/** Work on one case: triage a new warning, place the next contact, react to silence. */
export interface CaseJob {
  caseId: string;
  action: 'triage' | 'retriage' | 'contact' | 'confirm_attempt' | 'no_reply' | 'contact_relative';
  /** The case's next_action_at this job was queued for; a job whose moment has passed is stale. */
  due: string;
}

/** Send a message that a conversation step produced (SMS or Telegram replies, desk messages). */
export interface DeliveryJob {
  messageId: string;
}

export interface Queues {
  cases: Queue.Queue<CaseJob>;
  delivery: Queue.Queue<DeliveryJob>;
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
  const delivery = new Queue<DeliveryJob>('delivery', opts);
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

/**
 * Queues a case's due action. With `replaceFinished` (the outbox sweeper), a job of the same id that
 * already finished or failed for good is removed first: the case still wants the action, so it runs again.
 */
export async function enqueueCaseJob(queues: Queues, job: CaseJob, opts: { replaceFinished?: boolean } = {}): Promise<void> {
  const jobId = caseJobId(job);
  if (opts.replaceFinished) {
    const old = await queues.cases.getJob(jobId);
    if (old && ((await old.isCompleted()) || (await old.isFailed()))) await old.remove();
  }
  const delay = Math.max(0, Date.parse(job.due) - Date.now());
  await queues.cases.add(job.action, job, { jobId, delay });
}
