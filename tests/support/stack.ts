// The whole system on loopback for end-to-end tests: the app (web + workers) and the local phone network,
// with a fresh database, a unique Redis prefix, and keys and secrets made up for this run.
import net from 'node:net';
import { Redis } from 'ioredis';
import { start, type Role, type Running } from '../../server/main';
import { ListenError } from '../../server/http/listen';
import type { PhoneNetwork } from '../../tools/phone-network/server';
import { localAppEnv, makeLocalCredentials, startLocalNetwork, type LocalCredentials } from '../../tools/local-env';
import { sqliteDatabase, uniqueSuffix, type TestDatabase } from './databases';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
    srv.once('error', reject);
  });
}

export interface Stack {
  appUrl: string;
  network: PhoneNetwork;
  env: Record<string, string>;
  keys: Record<'intake' | 'desk' | 'station' | 'manager' | 'admin', string>;
  prefix: string;
  db: TestDatabase;
  api(method: string, path: string, role: keyof Stack['keys'], body?: unknown): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export interface StackOptions {
  db?: TestDatabase;
  env?: Record<string, string>;
  role?: Role;
  ringMs?: number;
}

/** What every local run shares: a port, a fresh database, a Redis prefix, made-up credentials, the phone network. */
export interface LocalRun {
  port: number;
  appUrl: string;
  prefix: string;
  db: TestDatabase;
  creds: LocalCredentials;
  network: PhoneNetwork;
  env: Record<string, string>;
}

export async function prepareLocalRun(opts: { db?: TestDatabase; redisUrl?: string; ringMs?: number; smsStepMs?: number; env?: Record<string, string> }): Promise<LocalRun> {
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const prefix = `qz_test_${uniqueSuffix()}`;
  const db = opts.db ?? sqliteDatabase();
  const creds = makeLocalCredentials();
  const network = await startLocalNetwork(appUrl, creds, { ringMs: opts.ringMs ?? 200, smsStepMs: opts.smsStepMs });
  const env = { ...localAppEnv({ port, networkUrl: network.url, creds, redisUrl: opts.redisUrl ?? REDIS_URL, queuePrefix: prefix, database: db.env }), ...opts.env };
  return { port, appUrl, prefix, db, creds, network, env };
}

/** freePort's port can be taken by another suite's server before the app binds it: then try another. */
const PORT_ATTEMPTS = 3;

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  let db = opts.db;
  for (let attempt = 1; ; attempt++) {
    // On a loaded shared machine a request can take seconds: only tests of the deadline itself set a short one.
    const run = await prepareLocalRun({ db, ringMs: opts.ringMs, env: { LOG_LEVEL: 'silent', REQUEST_TIMEOUT_MS: '60000', ...opts.env } });
    db = run.db;
    try {
      return stackOf(run, await start(opts.role ?? 'all', run.env));
    } catch (err) {
      await run.network.close();
      await deleteRedisPrefix(run.prefix);
      if (err instanceof ListenError && err.code === 'EADDRINUSE' && attempt < PORT_ATTEMPTS) continue;
      await run.db.cleanup();
      throw err;
    }
  }
}

function stackOf({ appUrl, prefix, db, creds, network, env }: LocalRun, running: Running): Stack {
  const keys = creds.keys;
  return {
    appUrl,
    network,
    env,
    keys,
    prefix,
    db,
    api: apiCaller(appUrl, keys),
    async stop() {
      await running.stop();
      await network.close();
      await deleteRedisPrefix(prefix);
      await db.cleanup();
    },
  };
}

/** Calls the app's API with the key of a role; answers status and parsed JSON (or the text). */
export function apiCaller<R extends string>(appUrl: string, keys: Record<R, string>) {
  return async (method: string, path: string, role: R, body?: unknown): Promise<{ status: number; body: any }> => {
    const res = await fetch(appUrl + path, {
      method,
      headers: { authorization: `Bearer ${keys[role]}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    try {
      return { status: res.status, body: JSON.parse(text) };
    } catch {
      return { status: res.status, body: text };
    }
  };
}

export async function deleteRedisPrefix(prefix: string): Promise<void> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** Polls until fn returns a truthy value; fails with the last value seen. For waiting on asynchronous work, not timing it. */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 15000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
