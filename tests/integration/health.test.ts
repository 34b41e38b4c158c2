// /readyz as a load balancer and an operator read it: Redis down is degraded (still ready: intake and the
// consoles work without it), the database down is unavailable, and only a manager or admin key is told why.
import { start, type Running } from '../../server/main';
import { eventually, prepareLocalRun, REDIS_URL, deleteRedisPrefix, type LocalRun } from '../support/stack';
import { PG_URL, postgresDatabase } from '../support/databases';
import { tcpProxy, type TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(60_000);

describe('health and readiness', () => {
  let run: LocalRun;
  let app: Running;
  let pg: TcpProxy;
  let redis: TcpProxy;
  beforeAll(async () => {
    pg = await tcpProxy({ host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) });
    redis = await tcpProxy({ host: '127.0.0.1', port: Number(new URL(REDIS_URL).port || 6379) });
    run = await prepareLocalRun({ db: postgresDatabase(), redisUrl: redis.url(REDIS_URL), env: { LOG_LEVEL: 'silent', DATABASE_URL: pg.url(PG_URL) } });
    app = await start('web', run.env);
  });
  afterAll(async () => {
    redis?.heal();
    pg?.heal();
    await app?.stop();
    await run?.network.close();
    await deleteRedisPrefix(run.prefix);
    await run?.db.cleanup();
    await pg?.close();
    await redis?.close();
  });

  const readyz = async (role?: 'manager' | 'admin' | 'desk') => {
    const res = await fetch(`${run.appUrl}/readyz`, role ? { headers: { Authorization: `Bearer ${run.creds.keys[role]}` } } : {});
    return { status: res.status, body: await res.json() };
  };

  it('is alive and ready, and tells a manager what it checked', async () => {
    expect(await (await fetch(`${run.appUrl}/healthz`)).json()).toEqual({ ok: true });
    expect(await readyz()).toEqual({ status: 200, body: { ok: true, status: 'ready' } });
    expect((await readyz('manager')).body).toEqual({
      ok: true,
      status: 'ready',
      checks: { database: { ok: true, ms: expect.any(Number) }, redis: { ok: true, ms: expect.any(Number) } },
    });
  });

  it('stays ready, degraded, while Redis is down, and says why only to a manager or admin', async () => {
    redis.refuse();
    try {
      const open = await eventually(async () => {
        const r = await readyz();
        return r.body.status === 'degraded' ? r : undefined;
      }, 'readiness to see Redis down');
      expect(open).toEqual({ status: 200, body: { ok: true, status: 'degraded' } });
      expect(await readyz('desk')).toEqual(open);
      for (const role of ['manager', 'admin'] as const) {
        const r = await readyz(role);
        expect(r.body).toMatchObject({ ok: true, status: 'degraded', checks: { database: { ok: true }, redis: { ok: false, error: expect.any(String) } } });
      }
      // What a probe sees while Redis is down is what intake does: warnings are still accepted.
      const w = await fetch(`${run.appUrl}/api/warnings`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${run.creds.keys.intake}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ source: 'province-centre', externalId: 'H-1', phone: '+8613800138111' }),
      });
      expect(w.status).toBe(202);
    } finally {
      redis.heal();
    }
    await eventually(async () => (await readyz()).body.status === 'ready', 'readiness to see Redis back');
  });

  it('is unavailable while the database is unreachable, without the error text in public', async () => {
    pg.refuse();
    try {
      const r = await readyz();
      expect(r).toEqual({ status: 503, body: { ok: false, status: 'unavailable' } });
      const m = await readyz('manager');
      expect(m.status).toBe(503);
      expect(m.body.checks.database).toEqual({ ok: false, ms: expect.any(Number), error: expect.any(String) });
    } finally {
      pg.heal();
    }
    await eventually(async () => (await readyz()).body.status === 'ready', 'readiness to see the database back');
  });
});
