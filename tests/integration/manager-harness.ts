// A whole server for the managers' console tests: fresh database, unique queue prefix, the real flows
// and classifier, and stand-in channels that record what would be sent.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import pino from 'pino';
import { loadConfig } from '../../server/config';
import { connectRedis } from '../../server/jobs/redis';
import { createQueues } from '../../server/jobs/queues';
import { LiveEvents } from '../../server/events';
import { FlowRegistry } from '../../server/cases/flow-registry';
import { createApp } from '../../server/http/app';
import { startWorkers, type Workers } from '../../server/jobs/workers';
import { loadPolicy, POLICY_FILE, type Rendered } from '../../flows/engine';
import { loadClassifier } from '../../nlu-models/src';
import type { Services } from '../../server/services';
import type { Store } from '../../server/store/db';
import { uniqueSuffix, type TestDatabase } from '../support/databases';

export const KEYS = { manager: 'manager-key-0123456789', intake: 'intake-key-0123456789', desk: 'desk-key-0123456789' };

export interface SentMessage {
  to: string;
  rendered: Rendered;
}

export interface Harness {
  s: Services;
  store: Store;
  url: string;
  sent: SentMessage[];
  prefix: string;
  startWorkers(): Workers;
  close(): Promise<void>;
}

/** The shipped policy with SMS as the only channel, so a new case's first prompt is a text we can read. */
function smsOnlyPolicyFile(): string {
  const text = fs
    .readFileSync(POLICY_FILE, 'utf8')
    .replace(/order: \[[^\]]*\]/, 'order: [sms]')
    .replace(/high: \[[^\]]*\]/, 'high: [sms]');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-policy-'));
  const file = path.join(dir, 'policy.yaml');
  fs.writeFileSync(file, text);
  return file;
}

export async function startHarness(db: TestDatabase, opts: { listen?: boolean } = {}): Promise<Harness> {
  const prefix = `qzt_mgr_${uniqueSuffix()}`;
  const config = loadConfig({
    ...db.env,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: 'test-auth-token',
    TWILIO_FROM: '+12025550100',
    QUANZU_API_KEYS: `manager:${KEYS.manager},intake:${KEYS.intake},desk:${KEYS.desk}`,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'silent',
  });
  const log = pino({ level: 'silent' });
  const store = await db.open();
  const redis = connectRedis(config.redisUrl);
  const queues = createQueues(redis, prefix);
  const events = new LiveEvents(redis.client, `${prefix}:events`);
  const flows = await FlowRegistry.fromStore(store.db);
  const sent: SentMessage[] = [];
  let n = 0;
  const textChannel = { send: async (d: { to: string; rendered: Rendered }) => (sent.push({ to: d.to, rendered: d.rendered }), { providerId: `SM${String(++n).padStart(32, '0')}`, status: 'sent' }) };
  const s: Services = {
    config,
    log,
    store,
    queues,
    events,
    classifier: await loadClassifier(),
    flows,
    policy: loadPolicy(smsOnlyPolicyFile()),
    channels: {
      sms: textChannel as unknown as Services['channels']['sms'],
      voice: { call: async () => ({ providerId: `CA${'1'.repeat(32)}`, status: 'queued' }) } as unknown as Services['channels']['voice'],
    },
    callbackBase: 'http://127.0.0.1:1',
  };
  let server: Server | undefined;
  let url = '';
  if (opts.listen !== false) {
    const app = createApp(s);
    server = await new Promise<Server>((resolve) => {
      const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
    });
    const addr = server.address();
    url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }
  let workers: Workers | undefined;
  return {
    s,
    store,
    url,
    sent,
    prefix,
    startWorkers: () => (workers = startWorkers(s, { sweepEveryMs: 500, concurrency: 2 })),
    async close() {
      if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
      if (workers) await workers.stop();
      await queues.close().catch(() => undefined);
      // The run's queue keys go with it.
      const keys = await redis.client.keys(`${prefix}:*`);
      if (keys.length) await redis.client.del(...keys);
      await redis.close();
      await store.close();
      await db.cleanup();
    },
  };
}

/** fetch with the manager's API key. */
export function managerFetch(h: Harness, p: string, init: { method?: string; body?: unknown; key?: string } = {}) {
  return fetch(`${h.url}${p}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${init.key ?? KEYS.manager}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}
