// Redis fails over to a copy that lags behind (or is restored from a backup): every job queued since the
// copy was taken is gone. Reply prompts written to the citizens must still go out, once each: the database,
// not Redis, holds what is to be sent.
import path from 'node:path';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { ownRedis, type OwnRedis } from './own-redis';
import { faultDatabase, faultFigures, reconcile, reportFigures, runSize, settleOrReport, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/sms-only.yaml');
jest.setTimeout(150_000);

describe('Redis restored from a stale copy', () => {
  let redis: OwnRedis;
  let stack: ProcessStack;
  beforeAll(async () => {
    redis = await ownRedis();
    stack = await startProcessStack({ roles: ['web', 'worker'], redisUrl: redis.url, db: faultDatabase(), env: { POLICY_FILE: POLICY, OUTBOX_SWEEP_MS: '500', LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await stack?.stop();
    await redis?.cleanup();
  });

  it('loses no reply prompt and sends none twice', async () => {
    const net = stack.network.control;
    const ws = Array.from({ length: runSize(8) }, (_, i) => warningFor('redis-stale', i));
    const ids = ws.map((w) => w.externalId);
    const name = `Redis restored from a copy taken before ${ws.length} replies`;
    expect((await stack.api('POST', '/api/warnings', 'intake', { warnings: ws })).body).toMatchObject({ accepted: ws.length });
    for (const w of ws) await net.waitForSms(w.phone, { timeoutMs: 60_000 });

    // No worker for a while: what the web process queues now waits in Redis.
    await stack.processes.find((p) => p.role === 'worker')!.stop();
    const copy = await redis.snapshot();
    await Promise.all(ws.map((w) => net.sendSms(w.phone, '没有，我没转过钱')));
    // Redis comes back from the copy taken before the replies: their prompts' jobs are gone.
    await redis.restore(copy);

    await stack.spawn('worker');
    const answered = eventually(async () => ws.every((w) => stack.network.state.messages.filter((m) => m.to === w.phone).length >= 2), 'an answer to every reply', 90_000 + ws.length * 500).catch((err: Error) => {
      const n = ws.filter((w) => stack.network.state.messages.filter((m) => m.to === w.phone).length >= 2).length;
      throw new Error(`${err.message}: ${ws.length - n} of ${ws.length} replies never answered`);
    });
    await settleOrReport(name, () => stack.db.open(), stack.network, ids, 1, answered);
    await new Promise((res) => setTimeout(res, 3000)); // more sweeps: nothing goes twice

    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, ids)).toEqual({ warnings: ws.length, problems: [] });
      const figures = await faultFigures(store.db, stack.network, ids, 1);
      reportFigures(name, figures);
      expect(ws.map((w) => stack.network.state.messages.filter((m) => m.to === w.phone).length)).toEqual(ws.map(() => 2));
      expect(figures).toMatchObject({ accepted: ws.length, contacted: ws.length, duplicated: 0, lost: 0, problems: [] });
    } finally {
      await store.close();
    }
  });
});
