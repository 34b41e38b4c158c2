// The organisation one process works with: the unit directory (read from the units table, which the units
// file seeds), the visit deadlines and the banks' anti-fraud lines. Every process refreshes its directory
// when an admin changes a unit (a Redis message), and on an interval in case a message was missed.
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '../store/schema';
import { listUnits, seedUnitsFromFile } from '../store/repositories/units';
import { UnitDirectory } from './directory';
import { loadUnitsFile, type UnitsFile, type VisitDeadlines } from './units-file';
import { loadBanksFile, type Bank, type BanksFile } from './banks-file';

/** The backstop interval: a missed Redis message delays a unit change by at most this long. */
export const UNITS_REFRESH_MS = 5000;

export interface OrganisationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export class Organisation {
  /** Set by the cross-process sync: tells the other processes this one changed a unit. */
  onLocalChange?: () => void;

  private constructor(
    private directory: UnitDirectory,
    readonly visitDeadlineMinutes: VisitDeadlines,
    private readonly banksFile: BanksFile,
  ) {}

  get banks(): Bank[] {
    return this.banksFile.banks;
  }

  /** Minutes from the first mention of a payment within which first-level accounts are to be stopped. */
  get firstLevelWindowMinutes(): number {
    return this.banksFile.firstLevelWindowMinutes;
  }

  /** Seeds the table from the file (only units it does not have), then reads it. */
  static async load(db: Kysely<Database>, files: { unitsFile?: string; banksFile?: string }, log?: OrganisationLog): Promise<Organisation> {
    const file: UnitsFile = loadUnitsFile(files.unitsFile);
    const { added } = await seedUnitsFromFile(db, file);
    if (added.length) log?.info({ added }, 'units added from the units file');
    return new Organisation(UnitDirectory.fromRows(await listUnits(db)), file.visitDeadlineMinutes, loadBanksFile(files.banksFile));
  }

  get units(): UnitDirectory {
    return this.directory;
  }

  bank(code: string): Bank | undefined {
    const c = code.trim().toUpperCase();
    return this.banks.find((b) => b.code === c);
  }

  async refresh(db: Kysely<Database>): Promise<void> {
    this.directory = UnitDirectory.fromRows(await listUnits(db));
  }

  /** After an admin's change in this process: refresh here, and tell the others. */
  async changed(db: Kysely<Database>): Promise<void> {
    await this.refresh(db);
    this.onLocalChange?.();
  }
}

export async function syncOrganisation(
  org: Organisation,
  db: Kysely<Database>,
  redis: { publisher: Redis; subscriber: Redis; channel: string },
  log?: OrganisationLog,
): Promise<{ stop(): void }> {
  let running = false;
  const refresh = () => {
    if (running) return;
    running = true;
    org
      .refresh(db)
      .catch((err) => log?.warn({ err: (err as Error).message }, 'units refresh failed; keeping the units last read'))
      .finally(() => (running = false));
  };
  const timer = setInterval(refresh, UNITS_REFRESH_MS);
  timer.unref();
  await redis.subscriber.subscribe(redis.channel).catch((err) => log?.warn({ err: (err as Error).message }, 'units change subscription failed; refreshing on the interval only'));
  redis.subscriber.on('message', (channel) => {
    if (channel === redis.channel) refresh();
  });
  org.onLocalChange = () => void redis.publisher.publish(redis.channel, 'changed').catch(() => undefined);
  return {
    stop() {
      clearInterval(timer);
      org.onLocalChange = undefined;
    },
  };
}
