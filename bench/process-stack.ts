// The whole system on loopback with the app in child processes (one web, N workers, or one "all"), the
// local phone network in this process, a fresh database and a unique Redis prefix. With `app: 'reference'`
// the same set-up runs bench/reference.ts instead (the bench's measure of this machine's limit).
import type { PhoneNetwork } from '../tools/phone-network/server';
import { apiCaller, deleteRedisPrefix, prepareLocalRun } from '../tests/support/stack';
import type { TestDatabase } from '../tests/support/databases';
import { spawnApp, spawnReference, type AppProcess, type ProcessRole } from './app-process';

export interface ProcessStack {
  appUrl: string;
  network: PhoneNetwork;
  env: Record<string, string>;
  keys: { intake: string; desk: string };
  prefix: string;
  db: TestDatabase;
  processes: AppProcess[];
  /** Starts one more app process with the same configuration (e.g. a replacement worker). */
  spawn(role: ProcessRole): Promise<AppProcess>;
  api(method: string, path: string, role: 'intake' | 'desk', body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface ProcessStackOptions {
  /** Which program the processes run (default quanzu). */
  app?: 'quanzu' | 'reference';
  /** Processes to start, in order (default: one 'all'). The first web or all process serves HTTP. */
  roles?: ProcessRole[];
  db?: TestDatabase;
  redisUrl?: string;
  env?: Record<string, string>;
  ringMs?: number;
  smsStepMs?: number;
  /** quanzu's processes run the compiled build (dist/, as `npm start`) instead of the sources under tsx */
  built?: boolean;
}

export async function startProcessStack(opts: ProcessStackOptions = {}): Promise<ProcessStack> {
  const { appUrl, prefix, db, creds, network, env } = await prepareLocalRun({ db: opts.db, redisUrl: opts.redisUrl, ringMs: opts.ringMs, smsStepMs: opts.smsStepMs, env: opts.env });
  const keys = { intake: creds.keys.intake, desk: creds.keys.desk };
  const spawnRole = opts.app === 'reference' ? (role: ProcessRole) => spawnReference(role, { ...env, INTAKE_KEY: keys.intake }) : (role: ProcessRole) => spawnApp(role, env, { built: opts.built });
  const processes: AppProcess[] = [];
  const stopAll = async () => {
    // Web first (stops taking work), then workers drain.
    for (const p of [...processes].sort((a, b) => Number(b.role === 'web') - Number(a.role === 'web'))) await p.stop();
  };
  try {
    // The first process runs the migrations; the others start once it is up.
    for (const role of opts.roles ?? ['all']) processes.push(await spawnRole(role));
  } catch (err) {
    await stopAll();
    await network.close();
    await db.cleanup();
    throw err;
  }
  return {
    appUrl,
    network,
    env,
    keys,
    prefix,
    db,
    processes,
    async spawn(role) {
      const p = await spawnRole(role);
      processes.push(p);
      return p;
    },
    api: apiCaller(appUrl, keys),
    async stop() {
      await stopAll();
      await network.close();
      await deleteRedisPrefix(prefix).catch(() => undefined);
      await db.cleanup();
    },
  };
}
