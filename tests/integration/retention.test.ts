// Retention on both engines, on data the running system made: a year after closing, a case keeps what the
// reports count and nothing that names or reaches a person; sessions, login attempts, webhook keys and
// idempotency keys go; open cases are untouched; the worker runs it daily and `npm run retention` by hand.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';
import { loadRetentionConfig } from '../../server/config';
import { runRetention, REMOVED } from '../../server/retention/run';
import { claimDailyRun } from '../../server/retention/schedule';

jest.setTimeout(120_000);
const ROOT = path.resolve(__dirname, '../..');
const DAY = 86_400_000;
const CLOSED_A = '+8613900139101';
const CLOSED_B = '+8613900139102';
const OPEN_C = '+8613900139103';
const RELATIVE = '+8613900139109';

describe.each(ENGINES)('retention on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  let alice: Person;
  const ids: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const policy = loadRetentionConfig({}).retention;
  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb(), env: { RETENTION_CHECK_MS: '300' } });
    await addUser(h.store, 'alice', 'desk');
    alice = new Person(h.baseUrl);
    await alice.login('alice');
    const warned = async (phone: string, reply: string) => {
      const w = await warnCitizen(h, { phone, name: '王某某', riskLevel: 'medium', relatives: [{ phone: RELATIVE, relation: 'brother' }] });
      expect(await citizenTexts(h, phone, reply)).toBe(200);
      return w.caseId;
    };
    ids.a = await warned(CLOSED_A, '我已经转了3000，我弟弟电话 139 0013 9109 你们问他');
    ids.b = await warned(CLOSED_B, '我刚用银行卡转了2万到 6222020200112233445');
    ids.c = await warned(OPEN_C, '我已经转了500');
    const resolve = async (caseId: string, body: unknown) => {
      const ho = await handoffOf(h, caseId);
      expect((await alice.json('POST', `/api/desk/handoffs/${ho.id}/claim`)).status).toBe(200);
      expect((await alice.json('POST', `/api/desk/handoffs/${ho.id}/resolve`, body)).status).toBe(200);
    };
    await resolve(ids.a, { outcome: 'dissuaded', note: `联系了弟弟 ${RELATIVE}` });
    await resolve(ids.b, {
      outcome: 'stop_payment_requested',
      note: '银行已受理，回电 0086-139-0013-9102',
      stopPayment: { amount: 20000, currency: 'CNY', method: 'bank_transfer', account: '6222020200112233445', paidAt: '2026-09-08T10:30:00+08:00' },
    });
    await handoffOf(h, ids.c);
  });
  afterAll(() => h?.close());

  const report = async () => {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const out: unknown[] = [];
    for (const groupBy of ['day', 'scam_type', 'flow_version']) {
      const res = await fetch(`${h.baseUrl}/api/reports?from=${today}&to=${today}&groupBy=${groupBy}`, { headers: { Authorization: `Bearer ${h.stack.keys.manager}` } });
      expect(res.status).toBe(200);
      // asOf is the moment the report was made (re-victimisation windows close relative to it): it moves.
      const { asOf: _asOf, ...figures } = (await res.json()) as Record<string, unknown>;
      out.push(figures);
    }
    return out;
  };
  /** Every row of a case, all columns, as one text: what a copy of the database would give away. */
  const everything = async (caseId: string) => {
    const db = h.store.db;
    const rows = await Promise.all([
      db.selectFrom('cases').selectAll().where('id', '=', caseId).execute(),
      db.selectFrom('warnings').selectAll().where('case_id', '=', caseId).execute(),
      db.selectFrom('contact_attempts').selectAll().where('case_id', '=', caseId).execute(),
      db.selectFrom('messages').selectAll().where('case_id', '=', caseId).execute(),
      db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).execute(),
      db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).execute(),
    ]);
    return JSON.stringify(rows);
  };
  const digits = (e164: string) => new RegExp(e164.slice(3).replace(/(\d{3})(\d{4})(\d{4})/, '$1\\D{0,3}$2\\D{0,3}$3'));
  const later = new Date(Date.now() + 400 * DAY);

  it('counts in a dry run and changes nothing', async () => {
    const before = [await everything(ids.a), await everything(ids.b), await report()];
    const dry = await runRetention(h.store.db, policy, { now: later, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, numbers: 2, transcripts: 2, recordings: 0 });
    expect(dry.sessions).toBeGreaterThanOrEqual(1);
    expect(dry.providerEvents).toBeGreaterThanOrEqual(3);
    expect([await everything(ids.a), await everything(ids.b), await report()]).toEqual(before);
  });

  it('removes the personal data of cases closed long enough ago and keeps every figure of the reports', async () => {
    const figures = await report();
    expect(await everything(ids.a)).toMatch(digits(CLOSED_A));
    const r = await runRetention(h.store.db, policy, { now: later });
    expect(r).toMatchObject({ dryRun: false, numbers: 2, transcripts: 2, recordings: 0 });
    expect(r.loginAttempts).toBeGreaterThanOrEqual(1);
    expect(await report()).toEqual(figures);

    for (const [id, phone] of [
      [ids.a, CLOSED_A],
      [ids.b, CLOSED_B],
    ] as const) {
      const text = await everything(id);
      expect([digits(phone).test(text), digits(RELATIVE).test(text), text.includes('王某某'), text.includes('6222020200112233445'), text.includes('弟弟电话')]).toEqual([false, false, false, false, false]);
      const c = await h.store.db.selectFrom('cases').select(['phone', 'name', 'relatives', 'status', 'outcome']).where('id', '=', id).executeTakeFirstOrThrow();
      expect(c).toMatchObject({ phone: REMOVED, name: null, relatives: '[]', status: 'closed' });
      const bodies = await h.store.db.selectFrom('messages').select(['body', 'intent', 'at_risk']).where('case_id', '=', id).execute();
      expect(bodies.length).toBeGreaterThan(1);
      expect(bodies.every((m) => m.body === '')).toBe(true);
      expect(bodies.some((m) => m.intent === 'already_paid' && m.at_risk === 1)).toBe(true);
    }
    const b = await h.store.db.selectFrom('handoffs').select(['outcome', 'outcome_detail', 'note']).where('case_id', '=', ids.b).executeTakeFirstOrThrow();
    expect(b.outcome).toBe('stop_payment_requested');
    expect(JSON.parse(b.outcome_detail!).stopPayment).toMatchObject({ amount: 20000, account: REMOVED });
    expect(b.note).toBe(`银行已受理，回电 ${REMOVED}`);

    // The open case is untouched.
    const open = await everything(ids.c);
    expect(open).toMatch(digits(OPEN_C));
    expect(open).toContain('我已经转了500');

    for (const table of ['sessions', 'provider_events', 'login_attempts', 'idempotency_keys'] as const) {
      expect([table, (await h.store.db.selectFrom(table).selectAll().execute()).length]).toEqual([table, 0]);
    }
    const again = await runRetention(h.store.db, policy, { now: later });
    expect(again).toMatchObject({ numbers: 0, transcripts: 0 });
    const runs = await h.store.db.selectFrom('audit_events').select(['actor', 'detail']).where('action', '=', 'retention_run').where('actor', '=', 'retention').execute();
    expect(runs.length).toBeGreaterThanOrEqual(2);
  });

  it('runs once a day in the worker, claimed by one process', async () => {
    const run = await eventually(async () => h.store.db.selectFrom('maintenance_runs').selectAll().where('name', '=', 'retention').executeTakeFirst(), 'the worker to run retention');
    expect(run.started_by).toMatch(/:\d+$/);
    // Another worker checking within the day does not run it again; one checking a day later does.
    expect(await claimDailyRun(h.store.db, 'other-worker:1')).toBe(false);
    expect(await claimDailyRun(h.store.db, 'other-worker:1', Date.now() + DAY + 1000)).toBe(true);
  });

  it('runs from the command line: npm run retention -- --dry-run', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'server/retention/cli.ts', '--dry-run'], { cwd: ROOT, env: { PATH: process.env.PATH, ...h.stack.db.env }, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dryRun: true, numbers: 0, transcripts: 0 });
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'server/retention/cli.ts'], { cwd: ROOT, env: { PATH: process.env.PATH, ...h.stack.db.env, RETENTION_NUMBER_DAYS: 'soon' }, encoding: 'utf8' });
    expect(bad.status).toBe(78);
    expect(bad.stderr).toContain('RETENTION_NUMBER_DAYS must be whole days from 1 to 36500 (or "never"), got "soon".');
  });
});
