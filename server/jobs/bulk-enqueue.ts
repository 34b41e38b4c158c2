// Case jobs queued in the same turn of the event loop (a committed group of warnings) go to Redis in one
// bull addBulk (one MULTI round trip) instead of one add each. Same job ids as enqueueCaseJob, so a job
// queued twice is still one job.
import type Queue from 'bull';
import { caseJobId, type CaseJob, type Queues } from './queues';

interface Waiting {
  job: CaseJob;
  resolve(): void;
  reject(err: unknown): void;
}

export interface CaseJobBatcher {
  /** Queues the job with the others of this turn; settles when Redis has them all. */
  add(job: CaseJob): Promise<void>;
}

export function caseJobBatcher(queues: Pick<Queues, 'cases'>): CaseJobBatcher {
  let waiting: Waiting[] = [];
  const flush = async () => {
    const batch = waiting;
    waiting = [];
    const now = Date.now();
    const jobs = batch.map(({ job }) => ({ name: job.action, data: job, opts: { jobId: caseJobId(job), delay: Math.max(0, Date.parse(job.due) - now) } as Queue.JobOptions }));
    try {
      await queues.cases.addBulk(jobs);
      for (const w of batch) w.resolve();
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  };
  return {
    add(job) {
      return new Promise<void>((resolve, reject) => {
        if (waiting.length === 0) setImmediate(() => void flush());
        waiting.push({ job, resolve, reject });
      });
    },
  };
}
