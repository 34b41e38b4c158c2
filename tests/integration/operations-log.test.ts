// What an operator reads: one access-log line per request with its request id (echoed to the caller),
// and Redis and PostgreSQL connection errors said out loud instead of swallowed.
import { Writable } from 'node:stream';
import { Pool } from 'pg';
import { start, type Running } from '../../server/main';
import { createLogger } from '../../server/log';
import { eventually, prepareLocalRun, type LocalRun } from '../support/stack';
import { PG_URL, postgresDatabase } from '../support/databases';
import { ownRedis, type OwnRedis } from '../faults/own-redis';

jest.setTimeout(120_000);

describe('operations log', () => {
  let redis: OwnRedis;
  let run: LocalRun;
  let app: Running;
  const lines: Record<string, any>[] = [];
  const appName = `quanzu_oplog_${process.pid}_${Date.now().toString(36)}`;
  beforeAll(async () => {
    redis = await ownRedis();
    run = await prepareLocalRun({ db: postgresDatabase(), redisUrl: redis.url });
    // pg names its connections from the process environment: this app's sessions can be told apart.
    process.env.PGAPPNAME = appName;
    const sink = new Writable({ write: (chunk, _enc, cb) => (lines.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l))), cb()) });
    app = await start('web', run.env, { log: createLogger('info', sink) });
  });
  afterAll(async () => {
    await app?.stop();
    await run?.network.close();
    await run?.db.cleanup();
    await redis?.cleanup();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${run.appUrl}${path}`, { headers: { Authorization: `Bearer ${run.creds.keys.desk}`, ...headers } });
  const accessLines = () => lines.filter((l) => l.msg === 'request');

  it('writes one access-log line per request, under the request id the caller gave or a new one', async () => {
    const given = await get('/api/desk/queue', { 'X-Request-Id': 'lb-7f3a:0001' });
    expect(given.status).toBe(200);
    expect(given.headers.get('x-request-id')).toBe('lb-7f3a:0001');
    const odd = await get('/api/desk/queue', { 'X-Request-Id': 'no spaces or <tags> allowed' });
    const made = odd.headers.get('x-request-id')!;
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
    const seen = await eventually(async () => {
      const mine = accessLines().filter((l) => l.reqId === 'lb-7f3a:0001' || l.reqId === made);
      return mine.length === 2 ? mine : undefined;
    }, 'two access-log lines');
    expect(seen[0]).toMatchObject({ level: 30, reqId: 'lb-7f3a:0001', method: 'GET', path: '/api/desk/queue', status: 200, principal: 'key:desk', ip: '127.0.0.1', ms: expect.any(Number) });
    expect(seen[1]).toMatchObject({ reqId: made, status: 200 });
  });

  it('masks a number that reaches a logged path', async () => {
    const res = await fetch(`${run.appUrl}/api/warnings/province-centre/13912345678`, { headers: { Authorization: `Bearer ${run.creds.keys.intake}` } });
    expect(res.status).toBe(404);
    const line = await eventually(async () => accessLines().find((l) => l.reqId === res.headers.get('x-request-id')), 'the access-log line');
    expect(line.path).toBe('/api/warnings/province-centre/139****5678');
    expect(JSON.stringify(lines)).not.toContain('13912345678');
  });

  it('says when Redis goes away', async () => {
    await redis.kill();
    try {
      const line = await eventually(async () => lines.find((l) => l.msg === 'redis connection error'), 'a Redis connection error in the log');
      expect(line).toMatchObject({ level: 40, dependency: 'redis', err: { message: expect.stringMatching(/ECONNREFUSED|Connection is closed|ECONNRESET/) } });
    } finally {
      await redis.start();
    }
  });

  it('says when PostgreSQL drops the connections', async () => {
    // A restart or failover, as tests/faults/postgres.test.ts makes it: this app's sessions only.
    const admin = new Pool({ connectionString: PG_URL, max: 1 });
    try {
      await eventually(async () => {
        expect((await get('/api/desk/queue')).status).toBe(200); // a pooled connection, idle now
        const r = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [appName]);
        return (r.rowCount ?? 0) > 0;
      }, 'a connection of the app to terminate');
    } finally {
      await admin.end();
    }
    const line = await eventually(async () => lines.find((l) => l.msg === 'postgres connection error'), 'a PostgreSQL connection error in the log');
    expect(line).toMatchObject({ level: 40, dependency: 'postgres', err: { message: expect.stringMatching(/terminat/) } });
  });
});
