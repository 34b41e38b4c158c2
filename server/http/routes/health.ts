// /healthz: the process is up. /readyz: Redis and the database answer.
import express, { type Router } from 'express';
import type { Services } from '../../services';
import { ping } from '../../store/db';

export function healthRoutes(s: Services): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
        return 'ok';
      } catch (err) {
        return `down: ${(err as Error).message}`;
      }
    };
    const [database, redis] = await Promise.all([check(() => ping(s.store)), check(() => s.queues.cases.client.ping())]);
    const ok = database === 'ok' && redis === 'ok';
    res.status(ok ? 200 : 503).json({ ok, database, redis });
  });
  return router;
}
