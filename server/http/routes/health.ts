// /healthz: the process is alive. /readyz: it should get traffic — the database answers and it is not
// shutting down. Redis down is "degraded", not "unavailable": intake and the consoles work without it
// (the outbox sweeper queues what was accepted once Redis is back), so a probe must not pull every web
// process at the moment Redis fails. What failed, and why, only goes to a manager or admin key.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { ping } from '../../store/db';
import { findApiKey } from '../auth';

/** Flipped by server/main.ts at SIGTERM, before anything closes. */
export class Readiness {
  shuttingDown = false;
}

/** How long a probe waits for each dependency. */
const CHECK_MS = 2000;

interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function check(fn: () => Promise<unknown>): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([fn(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_MS} ms`)), CHECK_MS)))]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: String((err as Error)?.message ?? err).slice(0, 200) };
  } finally {
    clearTimeout(timer);
  }
}

/** A ping, or an immediate failure while the connection is down (a queued ping would only wait). */
const redisPing = (s: Services) => async () => {
  const client = s.queues.cases.client;
  if (client.status !== 'ready') throw new Error(`connection is ${client.status}`);
  await client.ping();
};

export function healthRoutes(s: Services, readiness: Readiness = new Readiness()): Router {
  const router = express.Router();
  const keyOf = findApiKey(s.config.apiKeys);
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (req, res) => {
    const key = keyOf(req.header('authorization'));
    const detailed = key?.role === 'manager' || key?.role === 'admin';
    const [database, redis] = await Promise.all([check(() => ping(s.store)), check(redisPing(s))]);
    const status = readiness.shuttingDown ? 'shutting_down' : !database.ok ? 'unavailable' : !redis.ok ? 'degraded' : 'ready';
    const ok = status === 'ready' || status === 'degraded';
    res.status(ok ? 200 : 503).json({ ok, status, ...(detailed ? { checks: { database, redis } } : {}) });
  });
  return router;
}
