// Group commit on both engines: concurrent warnings share transactions and come out exactly as if each had
// been stored alone; one failing unit leaves its neighbours stored; a race with another writer is retried;
// when a group's transaction dies before its commit, nobody is told their warning was stored; and through the
// intake API, a warning the database refuses fails alone while the rest of its group is stored once.
import { Pool } from 'pg';
import { sql } from 'kysely';
import { startStack, type Stack } from '../support/stack';
import { isRetriableConflict, storeWarningOnce, validateWarning, type IntakeResult } from '../../server/cases/intake';
import { GroupCommitter } from '../../server/store/group-commit';
import { PendingEvents } from '../../server/events';
import { audit, bufferAudit, flushAudit } from '../../server/store/repositories/audit';
import type { Store } from '../../server/store/db';
import { newCaseRef, newId, nowIso } from '../../server/store/ids';
import { ENGINES, PG_URL, postgresDatabase, type TestDatabase } from '../support/databases';

const valid = (raw: Record<string, unknown>) => {
  const v = validateWarning({ source: 'gc-test', scamType: 'loan', riskLevel: 'medium', ...raw }, 'CN');
  if (!v.ok) throw new Error(v.reason);
  return v.value;
};

describe.each(ENGINES)('group commit on %s', (_name, make) => {
  let db: TestDatabase;
  let store: Store;
  beforeAll(async () => {
    db = make();
    store = await db.open();
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });
  // As the intake route runs it: the group's audit rows held and written in one statement before the commit.
  const committer = (lanes = 1) => new GroupCommitter(store.db, { lanes, maxBatch: 200, retriable: isRetriableConflict, begin: bufferAudit, finish: flushAudit });

  it('stores 60 concurrent warnings in a few transactions, each exactly as if alone: duplicates, repeats, one case per phone', async () => {
    const gc = committer(2);
    // 30 people; every third gets a second warning; every fifth warning is sent twice.
    const raws: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) raws.push({ externalId: `A-${i}`, phone: `+8613700${String(137000 + i)}`, riskLevel: 'medium' });
    for (let i = 0; i < 30; i += 3) raws.push({ externalId: `B-${i}`, phone: `+8613700${String(137000 + i)}`, riskLevel: 'high', amount: 80_000 });
    for (let i = 0; i < 30; i += 5) raws.push({ externalId: `A-${i}`, phone: `+8613700${String(137000 + i)}` });
    const results = await Promise.all(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { dialect: store.dialect }, new PendingEvents()))));

    expect(gc.stats.units).toBe(raws.length);
    expect(gc.stats.transactions).toBeLessThan(raws.length / 4);
    const count = (status: IntakeResult['status']) => results.filter((r) => r.status === status).length;
    expect({ accepted: count('accepted'), duplicate: count('duplicate') }).toEqual({ accepted: 40, duplicate: 6 });
    expect(results.filter((r) => r.status === 'accepted' && r.newCase)).toHaveLength(30);

    const cases = await store.db.selectFrom('cases').select(['phone', 'warning_count', 'risk_level', 'amount']).where('phone', 'like', '+8613700%').execute();
    expect(cases).toHaveLength(30);
    for (const c of cases) {
      const i = Number(c.phone.slice(-6)) - 137000;
      expect(c).toMatchObject(i % 3 === 0 ? { warning_count: 2, risk_level: 'high', amount: 80_000 } : { warning_count: 1, risk_level: 'medium' });
    }
    const warnings = await store.db.selectFrom('warnings').select(['external_id']).where('source', '=', 'gc-test').execute();
    expect(warnings).toHaveLength(40);
    const audits = await store.db.selectFrom('audit_events').select(['action']).where('actor', '=', 'test').execute();
    expect(audits.filter((a) => a.action === 'case_opened')).toHaveLength(30);
    expect(audits.filter((a) => a.action === 'warning_added')).toHaveLength(10);
  });

  it('one failing unit fails alone: its writes are undone, its neighbours are committed', async () => {
    const gc = committer();
    const caseId = (await store.db.selectFrom('cases').select('id').where('phone', '=', '+8613700137000').executeTakeFirstOrThrow()).id;
    const write = (tag: string, fail: boolean) =>
      gc.run(async (trx) => {
        await trx.insertInto('warnings').values({ id: newId(), source: 'gc-fail-test', external_id: tag, case_id: caseId, phone: '+8613700137000', scam_type: 'loan', risk_level: 'medium', signals: '[]', relatives: '[]', received_at: nowIso(), created_at: nowIso() }).execute();
        await audit(trx, { actor: 'gc-fail-test', action: tag });
        if (fail) throw new Error(`unit ${tag} broke`);
        return tag;
      });
    const settled = await Promise.allSettled(['a', 'b', 'c', 'd', 'e'].map((t) => write(t, t === 'c')));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual(['a', 'b', 'unit c broke', 'd', 'e']);
    const rows = await store.db.selectFrom('audit_events').select('action').where('actor', '=', 'gc-fail-test').orderBy('id').execute();
    expect(rows.map((r) => r.action)).toEqual(['a', 'b', 'd', 'e']);
    const stored = await store.db.selectFrom('warnings').select('external_id').where('source', '=', 'gc-fail-test').orderBy('external_id').execute();
    expect(stored.map((r) => r.external_id)).toEqual(['a', 'b', 'd', 'e']);
    expect(gc.stats.transactions).toBe(1);
  });
});

describe('group commit on PostgreSQL against other sessions', () => {
  let db: TestDatabase;
  let store: Store;
  let admin: Pool;
  beforeAll(async () => {
    db = postgresDatabase();
    store = await db.open();
    admin = new Pool({ connectionString: PG_URL, max: 2, options: `-c search_path="${store.schema}"` });
  });
  afterAll(async () => {
    await admin.end();
    await store.close();
    await db.cleanup();
  });

  /** The group's backend once it waits for a lock the given session holds. */
  const blockedBy = async (pid: number): Promise<number> => {
    for (let i = 0; i < 200; i++) {
      const row = (await admin.query('select pid from pg_stat_activity where $1 = any(pg_blocking_pids(pid))', [pid])).rows[0];
      if (row) return row.pid as number;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`nothing waited for session ${pid}`);
  };

  it('runs a warning again when another process opened the same person’s case first', async () => {
    const phone = '+8613711137111';
    const gc = new GroupCommitter(store.db, { lanes: 1, maxBatch: 200, retriable: isRetriableConflict });
    // Another intake has inserted the person's case and not yet committed: ours cannot see it, inserts its
    // own, waits on the unique index, and loses once the other commits.
    const other = await admin.connect();
    await other.query('begin');
    const now = new Date().toISOString();
    await other.query(
      `insert into cases (id, case_ref, phone, status, locale, scam_type, risk_level, warning_count, relatives, opted_out, next_action, next_action_at, opened_at, updated_at)
       values ($1, $2, $3, 'open', 'zh', 'loan', 'medium', 1, '[]', 0, 'triage', $4, $4, $4)`,
      [newId(), newCaseRef(), phone, now],
    );
    const pid = (await other.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const result = gc.run((trx) => storeWarningOnce(trx, 0, valid({ externalId: 'race-1', phone }), 'test', { dialect: 'postgres' }, new PendingEvents()));
    await blockedBy(pid);
    await other.query('commit');
    other.release();
    expect(await result).toMatchObject({ status: 'accepted', newCase: false, warningCount: 2 });
    const cases = await store.db.selectFrom('cases').select(['warning_count']).where('phone', '=', phone).execute();
    expect(cases).toEqual([{ warning_count: 2 }]);
  });

  it('loses its connection mid-group: the warning it was on is refused and not stored, the others are stored on a new connection; sent again, each is stored once', async () => {
    const gc = new GroupCommitter(store.db, { lanes: 1, maxBatch: 200, retriable: isRetriableConflict });
    const held = '+8613722137220';
    await storeWarningOnceAlone(store, { externalId: 'held-0', phone: held });
    // Another session holds the person's open case: the group stops at that warning, two warnings in.
    const locker = await admin.connect();
    await locker.query('begin');
    await locker.query("select id from cases where phone = $1 and status = 'open' for update", [held]);
    const lockerPid = (await locker.query('select pg_backend_pid() as pid')).rows[0].pid as number;
    const raws = [
      { externalId: 'mid-1', phone: '+8613722137221' },
      { externalId: 'mid-2', phone: '+8613722137222' },
      { externalId: 'mid-3', phone: held },
      { externalId: 'mid-4', phone: '+8613722137224' },
    ];
    const answers = Promise.allSettled(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { dialect: 'postgres' }, new PendingEvents()))));
    const blocked = await blockedBy(lockerPid);
    // The first two warnings are written in the group's transaction, not committed: the connection dies.
    await admin.query('select pg_terminate_backend($1)', [blocked]);
    await locker.query('rollback');
    locker.release();

    // The broken connection fails the unit that was running; the group runs again without it on a new connection.
    const settled = await answers;
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    const stored = await store.db.selectFrom('warnings').select('external_id').where('external_id', 'like', 'mid-%').orderBy('external_id').execute();
    expect(stored.map((w) => w.external_id)).toEqual(['mid-1', 'mid-2', 'mid-4']);

    // The upstream sends the refused one again: stored once; the others are duplicates.
    const again = await Promise.all(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { dialect: 'postgres' }, new PendingEvents()))));
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'duplicate']);
    const cases = await store.db.selectFrom('cases').select(['phone', 'warning_count']).where('phone', 'like', '+8613722%').orderBy('phone').execute();
    expect(cases.map((c) => [c.phone.slice(-1), c.warning_count])).toEqual([['0', 2], ['1', 1], ['2', 1], ['4', 1]]);
  });
});

async function storeWarningOnceAlone(store: Store, raw: Record<string, unknown>): Promise<void> {
  await store.db.transaction().execute((trx) => storeWarningOnce(trx, 0, valid(raw), 'test', { dialect: store.dialect }, new PendingEvents()));
}

describe.each(ENGINES)('the intake API on %s when the database refuses one warning of a group', (_name, make) => {
  let stack: Stack;
  let store: Store;
  beforeAll(async () => {
    stack = await startStack({ db: make(), role: 'web' });
    store = await stack.db.open();
    // The fault: the database refuses these warnings' rows (after their case was opened or counted).
    if (store.dialect === 'postgres') {
      await sql`create function refuse_poison() returns trigger language plpgsql as $$ begin if new.external_id like 'poison%' then raise exception 'warning refused by the test'; end if; return new; end $$`.execute(store.db);
      await sql`create trigger refuse_poison before insert on warnings for each row execute function refuse_poison()`.execute(store.db);
    } else {
      await sql`create trigger refuse_poison before insert on warnings when new.external_id like 'poison%' begin select raise(abort, 'warning refused by the test'); end`.execute(store.db);
    }
  });
  afterAll(async () => {
    await store?.close();
    await stack?.stop();
  });

  const reruns = async () => Number(/^quanzu_intake_group_reruns_total (\d+)/m.exec((await stack.api('GET', '/metrics', 'manager')).body)?.[1] ?? 0);

  it('stores the others once, counts the person’s warnings right, and takes the refused one once the fault is gone', async () => {
    const person = '+8613733137330';
    // One request: three warnings for the person around the refused one (the same person's warnings always
    // share a group), and others; a second request for the person at the same moment.
    const batch = [
      { source: 'gc-api', externalId: 'p-1', phone: person, riskLevel: 'medium' },
      { source: 'gc-api', externalId: 'q-1', phone: '+8613733137331' },
      { source: 'gc-api', externalId: 'p-2', phone: person, riskLevel: 'high' },
      { source: 'gc-api', externalId: 'poison-1', phone: person, amount: 90_000 },
      { source: 'gc-api', externalId: 'p-3', phone: person },
      { source: 'gc-api', externalId: 'q-2', phone: '+8613733137332' },
    ];
    const before = await reruns();
    const [first, alone] = await Promise.all([
      stack.api('POST', '/api/warnings', 'intake', { warnings: batch }),
      stack.api('POST', '/api/warnings', 'intake', { source: 'gc-api', externalId: 'p-4', phone: person }),
    ]);
    // The request holding the refused warning fails, so the upstream sends it again; the other request is answered.
    expect(first.status).toBe(500);
    expect(alone.status).toBe(202);
    expect(alone.body).toMatchObject({ status: 'accepted' });
    expect(await reruns()).toBeGreaterThan(before);

    const stored = async () => (await store.db.selectFrom('warnings').select('external_id').where('source', '=', 'gc-api').orderBy('external_id').execute()).map((w) => w.external_id);
    expect(await stored()).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'q-1', 'q-2']);
    const personCase = () => store.db.selectFrom('cases').select(['id', 'warning_count', 'risk_level', 'amount']).where('phone', '=', person).execute();
    // The refused warning's count and amount were rolled back with it; its neighbours were run again once.
    expect(await personCase()).toEqual([expect.objectContaining({ warning_count: 4, risk_level: 'high', amount: null })]);

    // Sent again while the fault lasts: the stored ones are duplicates, the refused one fails again.
    const again = await stack.api('POST', '/api/warnings', 'intake', { warnings: batch });
    expect(again.status).toBe(500);
    expect(await stored()).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'q-1', 'q-2']);

    if (store.dialect === 'postgres') await sql`drop trigger refuse_poison on warnings`.execute(store.db);
    else await sql`drop trigger refuse_poison`.execute(store.db);
    const cleared = await stack.api('POST', '/api/warnings', 'intake', { warnings: batch });
    expect(cleared.status).toBe(202);
    expect(cleared.body).toMatchObject({ accepted: 1, duplicate: 5, rejected: 0 });
    expect(cleared.body.results[3]).toMatchObject({ status: 'accepted', newCase: false, warningCount: 5 });
    const [c] = await personCase();
    expect(c).toMatchObject({ warning_count: 5, amount: 90_000 });
    // One case opened, and one audit line for each of the person's warnings stored.
    const trail = await store.db.selectFrom('audit_events').select('action').where('case_id', '=', c!.id).where('action', 'in', ['case_opened', 'warning_added']).execute();
    expect(trail.map((a) => a.action).sort()).toEqual(['case_opened', 'warning_added', 'warning_added', 'warning_added', 'warning_added']);
  });
});
