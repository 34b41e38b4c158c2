// One web and two worker processes over one Redis and PostgreSQL: the work is shared, nobody is contacted
// twice; then SIGTERM drains the web process and a worker mid-load and nothing accepted is lost.
import path from 'node:path';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { postgresDatabase, sqliteDatabase } from '../support/databases';
import { contactedTwice, reconcile, warningFor } from '../faults/reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(120_000);

// SQLite too: several processes on one machine share its file (transactions take the write lock up front).
describe.each([
  ['PostgreSQL', postgresDatabase],
  ['SQLite', sqliteDatabase],
])('scale-out on %s: web + 2 workers', (_engine, database) => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await startProcessStack({ roles: ['web', 'worker', 'worker'], db: database(), env: { POLICY_FILE: POLICY, LOG_LEVEL: 'debug' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const smsReached = (phones: string[]) => eventually(async () => phones.every((p) => stack.network.state.messages.some((m) => m.to === p)), 'a warning SMS to every warned person', 60_000);

  it('shares the work between both workers and contacts nobody twice', async () => {
    const ws = Array.from({ length: 40 }, (_, i) => warningFor('scale', i));
    const r = await stack.api('POST', '/api/warnings', 'intake', { warnings: ws });
    expect(r.body).toMatchObject({ accepted: 40 });
    await smsReached(ws.map((w) => w.phone));
    const workers = stack.processes.filter((p) => p.role === 'worker');
    const jobsDone = workers.map((w) => (w.output().match(/"queue":"delivery"[^\n]*"msg":"job done"/g) ?? []).length);
    expect(jobsDone.map((n) => n > 0)).toEqual([true, true]);
    expect(contactedTwice(stack.network, ws.map((w) => w.phone))).toEqual([]);
  });

  it('drains on SIGTERM: every warning accepted before the web process stopped is worked once', async () => {
    const ws = Array.from({ length: 30 }, (_, i) => warningFor('drain', i));
    const web = stack.processes.find((p) => p.role === 'web')!;
    const worker = stack.processes.find((p) => p.role === 'worker')!;
    const answers = ws.map((w, i) =>
      new Promise((r) => setTimeout(r, i * 15)).then(() => stack.api('POST', '/api/warnings', 'intake', w).catch(() => ({ status: 0, body: null }))),
    );
    await new Promise((r) => setTimeout(r, 150));
    const [webExit, workerExit] = await Promise.all([web.stop(), worker.stop()]);
    expect([webExit.code, workerExit.code]).toEqual([0, 0]);
    const results = await Promise.all(answers);
    const accepted = ws.filter((_, i) => results[i]!.status === 202);
    // Anything not accepted was refused outright (connection refused), never answered with an error after storing.
    expect(results.filter((r) => r.status !== 202 && r.status !== 0)).toEqual([]);
    expect(accepted.length).toBeGreaterThan(0);

    await stack.spawn('web');
    await smsReached(accepted.map((w) => w.phone));
    await new Promise((r) => setTimeout(r, 6000)); // one more outbox sweep
    expect(contactedTwice(stack.network, ws.map((w) => w.phone))).toEqual([]);
    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, accepted.map((w) => w.externalId))).toEqual({ warnings: accepted.length, problems: [] });
    } finally {
      await store.close();
    }
  });
});
