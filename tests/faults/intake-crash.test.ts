// The web process is SIGKILLed while concurrent warnings are being stored in shared transactions (group
// commit). Nothing it answered as accepted may be lost, nothing half-written may remain, and when the
// upstream sends again what got no answer, each warning is stored once, with one open case per person.
import { Pool } from 'pg';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { ENGINES, PG_URL, postgresDatabase } from '../support/databases';
import { eventually } from '../support/stack';
import type { Store } from '../../server/store/db';
import { warningFor } from './reconcile';
import { laneOf } from '../../server/store/group-commit';
import { PG_LANES } from '../../server/http/routes/warnings';

jest.setTimeout(120_000);

type Warning = ReturnType<typeof warningFor>;
type Answer = { status: number; body: any };

/** Posts until answered 202, as an upstream system retries what got no answer. */
async function deliver(stack: ProcessStack, w: Warning | { warnings: Warning[] }): Promise<Answer> {
  for (let i = 0; ; i++) {
    const r: Answer = await stack.api('POST', '/api/warnings', 'intake', w).catch((err: Error) => ({ status: 0, body: err.message }));
    if (r.status === 202) return r;
    if (i > 50) throw new Error(`${JSON.stringify(w).slice(0, 80)} never accepted; last answer ${r.status} ${JSON.stringify(r.body)}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** Every warning stored once, each person one open case counting all their warnings, no case without a warning. */
async function checkStored(store: Store, ws: Warning[]) {
  const rows = await store.db.selectFrom('warnings').select(['external_id', 'case_id', 'phone']).where('external_id', 'in', ws.map((w) => w.externalId)).execute();
  const cases = await store.db.selectFrom('cases').select(['id', 'phone', 'status', 'warning_count']).where('phone', 'in', [...new Set(ws.map((w) => w.phone))]).execute();
  const perPhone = new Map<string, number>();
  for (const w of ws) perPhone.set(w.phone, (perPhone.get(w.phone) ?? 0) + 1);
  const problems: string[] = [];
  for (const w of ws) {
    const n = rows.filter((r) => r.external_id === w.externalId).length;
    if (n !== 1) problems.push(`${w.externalId} stored ${n} times`);
  }
  for (const [phone, count] of perPhone) {
    const open = cases.filter((c) => c.phone === phone && c.status === 'open');
    if (open.length !== 1) problems.push(`${phone}: ${open.length} open cases`);
    else if (open[0]!.warning_count !== count) problems.push(`${phone}: warning_count ${open[0]!.warning_count}, ${count} warnings`);
  }
  for (const c of cases) if (!rows.some((r) => r.case_id === c.id)) problems.push(`case of ${c.phone} has no warning`);
  return problems;
}

describe.each(ENGINES)('intake on %s when the web process is killed mid-group', (_engine, database) => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await startProcessStack({ roles: ['web'], db: database() });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('keeps every warning it accepted, half-writes none, and stores each once when the upstream sends again', async () => {
    // 100 people, 20 of them warned twice.
    const ws: Warning[] = Array.from({ length: 100 }, (_, i) => warningFor('crash', i));
    for (let i = 0; i < 20; i++) ws.push({ ...ws[i * 5]!, externalId: `crash-again-${i}`, riskLevel: 'high' });
    const web = stack.processes[0]!;
    let firstAnswer!: () => void;
    const answered = new Promise<void>((r) => (firstAnswer = r));
    const before = ws.map((w) =>
      stack.api('POST', '/api/warnings', 'intake', w).then(
        (r) => {
          if (r.status === 202) firstAnswer();
          return r as Answer;
        },
        (err: Error) => ({ status: 0, body: err.message }) as Answer,
      ),
    );
    await answered;
    await web.kill();
    const results = await Promise.all(before);
    const acceptedBefore = ws.filter((_, i) => results[i]!.status === 202 && results[i]!.body.status === 'accepted');
    const unanswered = ws.filter((_, i) => results[i]!.status !== 202);
    expect(acceptedBefore.length).toBeGreaterThan(0);
    // Anything not accepted got no answer at all (the connection died), never an error after storing.
    expect(results.filter((r) => r.status !== 202 && r.status !== 0)).toEqual([]);

    await stack.spawn('web');
    const after = await Promise.all(unanswered.map((w) => deliver(stack, w)));
    expect(after.every((r) => ['accepted', 'duplicate'].includes(r.body.status))).toBe(true);
    const store = await stack.db.open();
    try {
      expect(await checkStored(store, ws)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('intake on PostgreSQL: the web process killed while its group waits, two warnings in', () => {
  let stack: ProcessStack;
  let admin: Pool;
  beforeAll(async () => {
    const db = postgresDatabase();
    stack = await startProcessStack({ roles: ['web'], db });
    admin = new Pool({ connectionString: PG_URL, max: 2, options: `-c search_path="${db.env.DATABASE_SCHEMA}"` });
  });
  afterAll(async () => {
    await admin?.end();
    await stack?.stop();
  });

  it('commits none of that group; sent again, each warning is stored once', async () => {
    const held = warningFor('held', 0);
    await deliver(stack, held);
    // Another session holds the person's open case: the next group stops at the repeat warning for them.
    const locker = await admin.connect();
    await locker.query('begin');
    await locker.query("select id from cases where phone = $1 and status = 'open' for update", [held.phone]);
    const lockerPid = (await locker.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    // Warnings for people in the held person's lane: with the repeat warning for the held person, one group, in order.
    const sameLane = (i: number): Warning => {
      for (;;) {
        const w = warningFor('held', i);
        if (laneOf(w.phone, PG_LANES) === laneOf(held.phone, PG_LANES)) return w;
      }
    };
    const ws = [sameLane(1), sameLane(2), { ...held, externalId: 'held-again' }, sameLane(3)];
    const sent = stack.api('POST', '/api/warnings', 'intake', { warnings: ws }).catch((err: Error) => ({ status: 0, body: err.message }));
    let orphan: number | undefined;
    for (let i = 0; i < 400 && !orphan; i++) {
      orphan = (await admin.query('select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [lockerPid])).rows[0]?.pid;
      if (!orphan) await new Promise((r) => setTimeout(r, 25));
    }
    expect(orphan).toBeDefined();
    await stack.processes[0]!.kill();
    expect((await sent).status).toBe(0);
    await locker.query('rollback');
    locker.release();

    // The orphaned transaction rolls back once it gets its lock and finds its client gone.
    await eventually(async () => (await admin.query('select 1 from pg_stat_activity where pid = $1', [orphan])).rowCount === 0, 'the dead process’s session to end', 30_000);
    const stored = await admin.query('select external_id from warnings where external_id = any($1)', [ws.map((w) => w.externalId)]);
    expect(stored.rows).toEqual([]);

    await stack.spawn('web');
    const again = await deliver(stack, { warnings: ws });
    expect(again.body).toMatchObject({ accepted: 4, duplicate: 0 });
    const store = await stack.db.open();
    try {
      expect(await checkStored(store, [held, ...ws])).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
