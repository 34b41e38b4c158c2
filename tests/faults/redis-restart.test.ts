// Redis dies mid-run and comes back from its append-only file: every accepted warning is still worked
// (jobs lost with Redis are re-queued from the database's outbox) and nobody gets the warning twice.
import path from 'node:path';
import { startStack, eventually, type Stack } from '../support/stack';
import { ownRedis, type OwnRedis } from './own-redis';
import { contactedTwice, reconcile, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(120_000);

describe('Redis killed and restarted mid-run', () => {
  let redis: OwnRedis;
  let stack: Stack;
  beforeAll(async () => {
    redis = await ownRedis();
    stack = await startStack({ env: { POLICY_FILE: POLICY, REDIS_URL: redis.url } });
  });
  afterAll(async () => {
    await redis?.start().catch(() => undefined);
    await stack?.stop();
    await redis?.cleanup();
  });

  it('loses no accepted warning and contacts nobody twice', async () => {
    const batch = (tag: string, n: number) => Array.from({ length: n }, (_, i) => warningFor(tag, i));
    const before = batch('redis-before', 10);
    const r1 = await stack.api('POST', '/api/warnings', 'intake', { warnings: before });
    expect(r1.body).toMatchObject({ accepted: 10, rejected: 0 });
    await stack.network.control.waitForSms(before[0]!.phone, { timeoutMs: 15_000 });

    // A second batch lands and Redis dies while its jobs are queued or running.
    const during = batch('redis-during', 10);
    const r2 = await stack.api('POST', '/api/warnings', 'intake', { warnings: during });
    expect(r2.body).toMatchObject({ accepted: 10 });
    await redis.kill();

    // Intake keeps answering while Redis is down: the database is the outbox.
    const down = batch('redis-down', 5);
    const r3 = await Promise.race([
      stack.api('POST', '/api/warnings', 'intake', { warnings: down }),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('intake did not answer while Redis was down')), 10_000)),
    ]);
    expect(r3).toMatchObject({ status: 202, body: { accepted: 5 } });

    await redis.start();
    const all = [...before, ...during, ...down];
    await eventually(async () => all.every((w) => stack.network.state.messages.some((m) => m.to === w.phone)), 'a warning SMS to every warned person', 60_000);
    // One more sweep after everyone was reached: a stale re-queue must not send again.
    await new Promise((r) => setTimeout(r, 6000));

    expect(contactedTwice(stack.network, all.map((w) => w.phone))).toEqual([]);
    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, all.map((w) => w.externalId))).toEqual({ warnings: 25, problems: [] });
    } finally {
      await store.close();
    }
  });
});
