// PostgreSQL drops the app's connections mid-run (pg_terminate_backend on this test's own sessions only,
// as a restart or failover would): the process survives, no accepted warning is lost, nobody is
// contacted twice. Upstream retries what was refused, as intake clients must (intake is idempotent).
import path from 'node:path';
import { Pool } from 'pg';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { PG_URL, postgresDatabase } from '../support/databases';
import { contactedTwice, reconcile, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(150_000);

describe('PostgreSQL connections dropped mid-run', () => {
  let stack: ProcessStack;
  let admin: Pool;
  const appName = `quanzu_fault_${process.pid}_${Date.now().toString(36)}`;
  beforeAll(async () => {
    admin = new Pool({ connectionString: PG_URL, max: 1 });
    stack = await startProcessStack({ roles: ['all'], db: postgresDatabase(), env: { POLICY_FILE: POLICY, PGAPPNAME: appName, PROVIDER_CONFIRM_WAIT_MS: '2000' } });
  });
  afterAll(async () => {
    await stack?.stop();
    await admin?.end();
  });

  const terminate = async () => {
    const r = await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()', [appName]);
    return r.rowCount ?? 0;
  };

  /** Posts until accepted (or a duplicate of an earlier acceptance), as an upstream system retries. */
  const deliver = async (w: ReturnType<typeof warningFor>) => {
    for (let i = 0; ; i++) {
      const r = await stack.api('POST', '/api/warnings', 'intake', w).catch((err: Error) => ({ status: 0, body: err.message }));
      if (r.status === 202) return r.body.status as string;
      expect([0, 500, 503]).toContain(r.status); // refused, not half-accepted
      if (i > 20) throw new Error(`warning ${w.externalId} never accepted; last answer ${r.status}; app output:\n${stack.processes[0]!.output().slice(-1500)}`);
      await new Promise((res) => setTimeout(res, 200));
    }
  };

  it('survives, loses nothing and contacts nobody twice', async () => {
    const ws = Array.from({ length: 30 }, (_, i) => warningFor('pg', i));
    const sending = (async () => {
      for (const w of ws) await deliver(w);
    })();
    let killed = 0;
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 300));
      killed += await terminate();
    }
    await sending;
    expect(killed).toBeGreaterThan(0);
    expect(stack.processes[0]!.child.exitCode).toBeNull();

    await eventually(async () => ws.every((w) => stack.network.state.messages.some((m) => m.to === w.phone)), 'a warning SMS to every warned person', 100_000).catch(async (err) => {
      const missing = ws.filter((w) => !stack.network.state.messages.some((m) => m.to === w.phone)).map((w) => w.phone);
      const store = await stack.db.open();
      const rows = await store.db.selectFrom('cases').select(['id', 'phone', 'next_action', 'next_action_at', 'plan']).where('phone', 'in', missing).execute();
      const audits = await store.db.selectFrom('audit_events').select(['case_id', 'action', 'detail']).where('case_id', 'in', rows.map((r) => r.id)).execute();
      const attempts = await store.db.selectFrom('contact_attempts').selectAll().where('case_id', 'in', rows.map((r) => r.id)).execute();
      await store.close();
      throw new Error(`${(err as Error).message}\n${JSON.stringify({ rows, audits, attempts, now: new Date().toISOString() }, null, 1).slice(0, 6000)}\n${stack.processes[0]!.output().slice(-3000)}`);
    });
    await new Promise((r) => setTimeout(r, 6000)); // one more outbox sweep
    expect(contactedTwice(stack.network, ws.map((w) => w.phone))).toEqual([]);
    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, ws.map((w) => w.externalId))).toEqual({ warnings: 30, problems: [] });
    } finally {
      await store.close();
    }
  });
});
