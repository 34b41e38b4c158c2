// The daily retention run in the worker role: every RETENTION_CHECK_MS a worker asks whether a day has
// passed since the last run started; the database decides which worker runs it (the one whose update
// moves `started_at`), so many workers run it once a day between them.
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../store/schema';
import type { RetentionPolicy } from '../config';
import '../store/schema-trust';
import { runRetention, type RetentionReport } from './run';
import type { CallRecordings } from '../../bots/recordings';

const RUN = 'retention';
const EVERY_MS = 24 * 3600_000;

/** Claims today's run for this process; false when another process started it less than a day ago. */
export async function claimDailyRun(db: Kysely<Database>, by: string, now = Date.now()): Promise<boolean> {
  const at = new Date(now).toISOString();
  const inserted = await db
    .insertInto('maintenance_runs')
    .values({ name: RUN, started_at: at, started_by: by })
    .onConflict((oc) => oc.column('name').doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return true;
  const moved = await db
    .updateTable('maintenance_runs')
    .set({ started_at: at, started_by: by })
    .where('name', '=', RUN)
    .where('started_at', '<=', new Date(now - EVERY_MS).toISOString())
    .executeTakeFirst();
  return Number(moved.numUpdatedRows) === 1;
}

/** Runs retention when today's run is this process's to do. */
export async function runRetentionIfDue(db: Kysely<Database>, policy: RetentionPolicy, by: string, log: Logger, recordings?: CallRecordings): Promise<RetentionReport | undefined> {
  if (!(await claimDailyRun(db, by))) return undefined;
  const report = await runRetention(db, policy, { actor: 'retention', recordings });
  log.info({ ...report }, 'retention run');
  return report;
}

/** Starts the checks; returns how to stop them. */
export function startRetentionSchedule(deps: { db: Kysely<Database>; policy: RetentionPolicy; log: Logger; recordings?: CallRecordings }): () => void {
  const by = `${hostname()}:${process.pid}`;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    runRetentionIfDue(deps.db, deps.policy, by, deps.log, deps.recordings)
      .catch((err: unknown) => deps.log.warn({ err }, 'retention run failed; the next check tries again'))
      .finally(() => (running = false));
  }, deps.policy.checkEveryMs);
  timer.unref();
  return () => clearInterval(timer);
}
