// Jobs queued in the same turn of the event loop (a committed group of warnings) go to Redis in one bull
// addBulk per queue (one MULTI round trip) instead of one add each. Same job ids as enqueueCaseJob and
// enqueueRelay, so a job queued twice is still one job.
import type Queue from 'bull';
import { caseJobId, enqueueCaseJob, enqueueRelay, relayJobId, type CaseJob, type Queues, type RelayJob } from './queues';

/** Where after-commit jobs go: straight to Redis one by one, or batched. */
export interface JobSink {
  caseJob(job: CaseJob): Promise<void>;
  relay(job: RelayJob): Promise<void>;
}

export const directJobs = (queues: Queues): JobSink => ({
  caseJob: (job) => enqueueCaseJob(queues, job),
  relay: (job) => enqueueRelay(queues, job),
});

interface Waiting {
  job: Queue.JobOptions & { name?: string; data: unknown };
  resolve(): void;
  reject(err: unknown): void;
}

function coalescing<T>(queue: Queue.Queue<T>): (name: string | undefined, data: T, jobId: string, due: string) => Promise<void> {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    try {
      await queue.addBulk(batch.map((w) => w.job as { name?: string; data: T; opts: Queue.JobOptions }));
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };
  return (name, data, jobId, due) =>
    new Promise<void>((resolve, reject) => {
      if (waiting.length === 0) setImmediate(() => void flush());
      const opts: Queue.JobOptions = { jobId, delay: Math.max(0, Date.parse(due) - Date.now()) };
      waiting.push({ job: { ...(name ? { name } : {}), data, opts } as never, resolve, reject });
    });
}

export function batchedJobs(queues: Queues): JobSink {
  const cases = coalescing(queues.cases);
  const relays = coalescing(queues.delivery);
  return {
    caseJob: (job) => cases(job.action, job, caseJobId(job), job.due),
    relay: (job) => relays(undefined, job, relayJobId(job), job.due),
  };
}
