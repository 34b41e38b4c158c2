// Intake storage on both engines: idempotency, one open case per phone, the outbox row.
import { storeWarning, validateWarning } from '../../server/cases/intake';
import type { Store } from '../../server/store/db';
import { ENGINES, postgresDatabase, type TestDatabase } from '../support/databases';

const warning = (over: Record<string, unknown> = {}) => ({
  source: 'province-centre',
  externalId: 'W2026-000123',
  phone: '+8613800138000',
  name: '王某',
  scamType: 'pig_butchering',
  riskLevel: 'medium',
  relatives: [{ phone: '13900139000', relation: 'father' }],
  ...over,
});

function valid(raw: unknown) {
  const v = validateWarning(raw, 'CN');
  if (!v.ok) throw new Error(v.reason);
  return v.value;
}

describe.each(ENGINES)('intake storage on %s', (_name, make) => {
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

  it('stores a warning as a new case due for triage, with the relative normalised to E.164', async () => {
    const r = await storeWarning(store.db, 0, valid(warning()), 'test', { dialect: store.dialect });
    expect(r).toMatchObject({ status: 'accepted', newCase: true, warningCount: 1 });
    const c = await store.db.selectFrom('cases').selectAll().where('phone', '=', '+8613800138000').executeTakeFirstOrThrow();
    expect(c.next_action).toBe('triage');
    expect(c.status).toBe('open');
    expect(JSON.parse(c.relatives)).toEqual([{ phone: '+8613900139000', relation: 'father', name: null }]);
  });

  it('answers duplicate for a re-sent warning and changes nothing', async () => {
    const again = await storeWarning(store.db, 0, valid(warning()), 'test', { dialect: store.dialect });
    expect(again.status).toBe('duplicate');
    const count = await store.db.selectFrom('warnings').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('raises the warning count of the open case instead of opening another', async () => {
    const r = await storeWarning(store.db, 0, valid(warning({ externalId: 'W2026-000124', phone: '138 0013 8000', riskLevel: 'high' })), 'test', { dialect: store.dialect });
    expect(r).toMatchObject({ status: 'accepted', newCase: false, warningCount: 2 });
    const cases = await store.db.selectFrom('cases').selectAll().where('phone', '=', '+8613800138000').execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]!.risk_level).toBe('high');
    expect(cases[0]!.warning_count).toBe(2);
    const warnings = await store.db.selectFrom('warnings').select(['external_id', 'case_id']).where('phone', '=', '+8613800138000').orderBy('external_id').execute();
    expect(warnings).toEqual([
      { external_id: 'W2026-000123', case_id: cases[0]!.id },
      { external_id: 'W2026-000124', case_id: cases[0]!.id },
    ]);
  });

  it('keeps one case when two warnings for a new number arrive at the same moment', async () => {
    const results = await Promise.all(
      ['A', 'B', 'C'].map((x) => storeWarning(store.db, 0, valid(warning({ externalId: `race-${x}`, phone: '+8613700137000' })), 'test', { dialect: store.dialect })),
    );
    expect(results.every((r) => r.status === 'accepted')).toBe(true);
    const cases = await store.db.selectFrom('cases').selectAll().where('phone', '=', '+8613700137000').execute();
    expect(cases).toHaveLength(1);
    expect(cases[0]!.warning_count).toBe(3);
  });
});

describe('warning validation', () => {
  it('names the field of an invalid phone number', () => {
    expect(validateWarning(warning({ phone: '12345' }), 'CN')).toEqual({ ok: false, reason: 'phone: "12345" is not a valid number for region CN' });
  });
  it('works an unknown scam type as other and keeps the upstream label; refuses one that is no label', () => {
    const r = validateWarning(warning({ scamType: 'lottery' }), 'CN');
    expect(r.ok && [r.value.scamType, r.value.upstreamScamType]).toEqual(['other', 'lottery']);
    const known = validateWarning(warning({ scamType: 'loan' }), 'CN');
    expect(known.ok && [known.value.scamType, known.value.upstreamScamType]).toEqual(['loan', null]);
    const bad = validateWarning(warning({ scamType: 'x'.repeat(61) }), 'CN');
    expect(!bad.ok && bad.reason).toMatch(/^scamType: /);
  });
  it('refuses control characters, broken Unicode and bidi overrides, naming the field', () => {
    expect(validateWarning(warning({ source: 'province\u0000centre' }), 'CN')).toEqual({ ok: false, reason: 'source: must not contain control characters' });
    expect(validateWarning(warning({ name: 'Wang\ud800' }), 'CN')).toEqual({ ok: false, reason: 'name: must be well-formed Unicode' });
    expect(validateWarning(warning({ externalId: 'W-1\u202e' }), 'CN')).toEqual({ ok: false, reason: 'externalId: must not contain bidirectional override characters' });
    expect(validateWarning(warning({ name: '王某 😀 Ｗａｎｇ' }), 'CN').ok).toBe(true);
  });
  it('refuses a relative who is the person themself', () => {
    expect(validateWarning(warning({ relatives: [{ phone: '+8613800138000' }] }), 'CN')).toEqual({ ok: false, reason: "relatives.0.phone: is the warned person's own number" });
  });
});

describe('PostgreSQL schemas', () => {
  it('migrates a fresh schema while another schema of the same database already holds quanzu tables', async () => {
    const a = postgresDatabase();
    const b = postgresDatabase();
    const storeA = await a.open();
    try {
      const storeB = await b.open();
      const tables = await storeB.db.introspection.getTables();
      expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['cases', 'warnings', 'handoffs']));
      await storeB.close();
    } finally {
      await storeA.close();
      await a.cleanup();
      await b.cleanup();
    }
  });
});
