// Group commit on both engines: concurrent warnings share transactions and come out exactly as if each had
// been stored alone; one failing unit leaves its neighbours stored; a race with another writer is retried;
// and when a group's transaction dies before its commit, nobody is told their warning was stored.
import { Pool } from 'pg';
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
  const lockRows = () => store.dialect === 'postgres';

  it('stores 60 concurrent warnings in a few transactions, each exactly as if alone: duplicates, repeats, one case per phone', async () => {
    const gc = committer(2);
    // 30 people; every third gets a second warning; every fifth warning is sent twice.
    const raws: Record<string, unknown>[] = [];
    for (let i = 0; i < 30; i++) raws.push({ externalId: `A-${i}`, phone: `+8613700${String(137000 + i)}`, riskLevel: 'medium' });
    for (let i = 0; i < 30; i += 3) raws.push({ externalId: `B-${i}`, phone: `+8613700${String(137000 + i)}`, riskLevel: 'high', amount: 80_000 });
    for (let i = 0; i < 30; i += 5) raws.push({ externalId: `A-${i}`, phone: `+8613700${String(137000 + i)}` });
    const results = await Promise.all(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { lockRows: lockRows() }, new PendingEvents()))));

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
    const result = gc.run((trx) => storeWarningOnce(trx, 0, valid({ externalId: 'race-1', phone }), 'test', { lockRows: true }, new PendingEvents()));
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
    const answers = Promise.allSettled(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { lockRows: true }, new PendingEvents()))));
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
    const again = await Promise.all(raws.map((raw, i) => gc.run((trx) => storeWarningOnce(trx, i, valid(raw), 'test', { lockRows: true }, new PendingEvents()))));
    expect(again.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'accepted', 'duplicate']);
    const cases = await store.db.selectFrom('cases').select(['phone', 'warning_count']).where('phone', 'like', '+8613722%').orderBy('phone').execute();
    expect(cases.map((c) => [c.phone.slice(-1), c.warning_count])).toEqual([['0', 2], ['1', 1], ['2', 1], ['4', 1]]);
  });
});

async function storeWarningOnceAlone(store: Store, raw: Record<string, unknown>): Promise<void> {
  await store.db.transaction().execute((trx) => storeWarningOnce(trx, 0, valid(raw), 'test', { lockRows: store.dialect === 'postgres' }, new PendingEvents()));
}
