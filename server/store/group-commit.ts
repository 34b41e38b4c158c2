// Group commit: units of work from concurrent callers share one transaction, so a burst of warnings costs
// one BEGIN/COMMIT (one WAL write or fsync) instead of one each. A unit is what one caller would have run
// in its own transaction; inside a group the units run one after another, each seeing the ones before it,
// exactly as if they had been committed in that order.
//
// Nothing is answered before the commit: each caller's promise settles only once the transaction holding
// its unit has committed (or for good failed), so a crash mid-group loses nothing anyone was told was stored.
// One unit's failure does not fail its neighbours: the group is rolled back and run again without it.
import type { Kysely } from 'kysely';
import type { Database } from './schema';

/** Work inside a transaction the committer opens and commits. It may run more than once (after a rollback), so it must touch nothing but the database. */
export type UnitOfWork<T> = (trx: Kysely<Database>) => Promise<T>;

export interface GroupCommitOptions {
  /** Transactions in flight at once. SQLite has one connection: 1. PostgreSQL: each on its own pooled connection. */
  lanes: number;
  /** Most units in one transaction. */
  maxBatch: number;
  /**
   * How long a free lane waits for more units before it begins, ms (≤ 2). 0: the units that arrived in the
   * same turn of the event loop. Units that arrive while their lane is busy go in its next group.
   */
  maxDelayMs?: number;
  /** A unit that failed this way is run again in the next transaction (a unique-constraint race, a deadlock). */
  retriable?: (err: unknown) => boolean;
  /** How often one unit is retried (default 2). */
  retries?: number;
  /** Runs when the group's transaction begins and once all its units are done, before the commit. */
  begin?: (trx: Kysely<Database>) => void;
  finish?: (trx: Kysely<Database>) => Promise<void>;
  /** Hears each committed group's size and each rerun (the operators' metrics). */
  observe?: { committed(units: number): void; rerun(): void };
}

interface Entry {
  unit: UnitOfWork<unknown>;
  resolve(value: unknown): void;
  reject(err: unknown): void;
  tries: number;
}

interface Lane {
  pending: Entry[];
  busy: boolean;
  scheduled: boolean;
}

/** Statistics for the bench and tests: how many units and transactions so far. */
export interface GroupCommitStats {
  units: number;
  transactions: number;
  largest: number;
  /** Groups run again after a unit failed (without it, or with it once more after a race). */
  reruns: number;
}

/** The lane of a key (FNV-1a): units with the same key are always in the same lane, so one group, in order. */
export function laneOf(key: string, lanes: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % lanes;
}

export class GroupCommitter {
  private readonly lanes: Lane[];
  private readonly opts: Required<GroupCommitOptions>;
  readonly stats: GroupCommitStats = { units: 0, transactions: 0, largest: 0, reruns: 0 };

  constructor(
    private readonly db: Kysely<Database>,
    opts: GroupCommitOptions,
  ) {
    if (!(opts.lanes >= 1) || !(opts.maxBatch >= 1)) throw new Error('GroupCommitter: lanes and maxBatch must be at least 1');
    if ((opts.maxDelayMs ?? 0) > 2) throw new Error(`GroupCommitter: maxDelayMs is at most 2 ms (got ${opts.maxDelayMs}); a longer wait would only add latency`);
    this.opts = { maxDelayMs: 0, retriable: () => false, retries: 2, begin: () => undefined, finish: async () => undefined, observe: { committed: () => undefined, rerun: () => undefined }, ...opts };
    this.lanes = Array.from({ length: opts.lanes }, () => ({ pending: [], busy: false, scheduled: false }));
  }

  /**
   * Runs the unit in the next transaction; settles after that transaction committed (or the unit failed for
   * good). Units with the same `key` (a person's phone number) always share a lane: they run one after the
   * other in arrival order and never wait on each other's row locks from another lane (no deadlock, no
   * unique-index race between lanes of this process).
   */
  run<T>(unit: UnitOfWork<T>, key?: string): Promise<T> {
    const lane = this.lanes[key === undefined ? this.leastLoaded() : laneOf(key, this.lanes.length)]!;
    return new Promise<T>((resolve, reject) => {
      lane.pending.push({ unit, resolve: resolve as (v: unknown) => void, reject, tries: 0 });
      this.schedule(lane);
    });
  }

  private leastLoaded(): number {
    let best = 0;
    const load = (l: Lane) => l.pending.length + (l.busy ? this.opts.maxBatch : 0);
    for (let i = 1; i < this.lanes.length; i++) if (load(this.lanes[i]!) < load(this.lanes[best]!)) best = i;
    return best;
  }

  private schedule(lane: Lane): void {
    if (lane.scheduled || lane.busy || lane.pending.length === 0) return;
    lane.scheduled = true;
    const go = () => {
      lane.scheduled = false;
      this.start(lane);
    };
    if (this.opts.maxDelayMs > 0) setTimeout(go, this.opts.maxDelayMs);
    else setImmediate(go);
  }

  private start(lane: Lane): void {
    if (lane.busy || lane.pending.length === 0) return;
    const group = lane.pending.splice(0, this.opts.maxBatch);
    lane.busy = true;
    void this.commit(group).finally(() => {
      lane.busy = false;
      // Whatever arrived meanwhile has waited long enough: it goes now.
      this.start(lane);
    });
  }

  private async commit(group: Entry[]): Promise<void> {
    let live = group;
    while (live.length > 0) {
      const values: unknown[] = [];
      let failed: { entry: Entry; err: unknown } | undefined;
      try {
        await this.db.transaction().execute(async (trx) => {
          this.opts.begin(trx);
          for (const e of live) {
            try {
              values.push(await e.unit(trx));
            } catch (err) {
              failed = { entry: e, err };
              throw err;
            }
          }
          await this.opts.finish(trx);
        });
      } catch (err) {
        if (!failed) {
          // BEGIN or COMMIT itself failed (or the group's finish): nothing of the group is stored, and every caller hears so.
          for (const e of live) e.reject(err);
          return;
        }
        // The rollback undid the whole group; run it again without the failed unit, or with it once more.
        this.stats.reruns += 1;
        this.opts.observe.rerun();
        const { entry } = failed;
        if (this.opts.retriable(failed.err) && entry.tries < this.opts.retries) entry.tries += 1;
        else {
          entry.reject(failed.err);
          live = live.filter((e) => e !== entry);
        }
        continue;
      }
      this.stats.units += live.length;
      this.stats.transactions += 1;
      this.stats.largest = Math.max(this.stats.largest, live.length);
      this.opts.observe.committed(live.length);
      live.forEach((e, i) => e.resolve(values[i]));
      return;
    }
  }
}
