// The trust boundary as an attacker meets it: an intake key bound to its sources, no case reads with an
// intake key, X-Forwarded-For believed only from a configured proxy, and the app listening on loopback only.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { apiCaller, startStack, type Stack } from '../support/stack';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
const PROVINCE_KEY = 'province-key-0123456789';
const CITY_KEY = 'city-110-key-0123456789';
const LEGACY_KEY = 'legacy-intake-key-0123456789';
const DESK_KEY = 'desk-key-0123456789';

describe('intake keys scoped to their sources', () => {
  let stack: Stack;
  let as: ReturnType<typeof apiCaller<'province' | 'city' | 'legacy' | 'desk'>>;
  beforeAll(async () => {
    // Two keys scoped to their sources, beside an unscoped (pre-scoping) intake key and a desk key.
    const keys = `intake:${LEGACY_KEY},desk:${DESK_KEY},intake@province-centre:${PROVINCE_KEY},intake@city-110|city-120:${CITY_KEY}`;
    stack = await startStack({ env: { POLICY_FILE: POLICY, QUANZU_API_KEYS: keys } });
    as = apiCaller(stack.appUrl, { province: PROVINCE_KEY, city: CITY_KEY, legacy: LEGACY_KEY, desk: DESK_KEY });
  });
  afterAll(() => stack?.stop());

  const warning = (source: string, externalId: string, phone = '+8613811112222') => ({ source, externalId, phone, name: '王某', scamType: 'pig_butchering', riskLevel: 'medium' });

  it('posts only for its own sources', async () => {
    const own = await as('POST', '/api/warnings', 'province', warning('province-centre', 'P-1'));
    expect(own.status).toBe(202);
    expect(own.body).toMatchObject({ status: 'accepted', caseId: expect.any(String), caseRef: expect.stringMatching(/^QZ/) });

    const other = await as('POST', '/api/warnings', 'city', warning('province-centre', 'P-2'));
    expect(other.status).toBe(403);
    expect(other.body).toEqual({ error: 'source_not_allowed', message: 'this key may post warnings for city-110, city-120 only, not for "province-centre"' });

    const batch = await as('POST', '/api/warnings', 'city', { warnings: [warning('city-120', 'C-9', '+8613833334444'), warning('province-centre', 'P-3')] });
    expect(batch.status).toBe(202);
    expect(batch.body.results[1]).toEqual({ index: 1, status: 'rejected', reason: 'source: this key may post warnings for city-110, city-120 only, not for "province-centre"' });
    const store = await stack.db.open();
    try {
      const rows = await store.db.selectFrom('warnings').select(['source', 'external_id']).orderBy('external_id').execute();
      expect(rows).toEqual([
        { source: 'city-120', external_id: 'C-9' },
        { source: 'province-centre', external_id: 'P-1' },
      ]);
    } finally {
      await store.close();
    }
  });

  it("never answers with, or opens, a case another source's warning opened", async () => {
    const opened = await as('POST', '/api/warnings', 'province', warning('province-centre', 'P-10', '+8613855556666'));
    const caseId = opened.body.caseId as string;
    // Another source warns about the same person: accepted onto the open case, but its id is not handed out.
    const joined = await as('POST', '/api/warnings', 'city', warning('city-110', 'C-10', '+8613855556666'));
    expect(joined.status).toBe(202);
    expect(joined.body).toEqual({ index: 0, status: 'accepted', accepted: 1, duplicate: 0, rejected: 0, results: [{ index: 0, status: 'accepted' }] });
    expect(JSON.stringify(joined.body)).not.toContain(caseId);

    // No intake key reads a case, scoped or not, whoever opened it.
    for (const who of ['city', 'province', 'legacy'] as const) {
      const read = await as('GET', `/api/cases/${caseId}`, who);
      expect([who, read.status, read.body.error]).toEqual([who, 403, 'forbidden']);
    }
    expect((await as('GET', `/api/cases/${caseId}`, 'desk')).status).toBe(200);
  });

  it('reads back the status of what it posted, and nothing of another source', async () => {
    await as('POST', '/api/warnings', 'province', warning('province-centre', 'P-20', '+8613877778888'));
    await as('POST', '/api/warnings', 'city', warning('city-110', 'C-20', '+8613877778888'));

    const mine = await as('GET', '/api/warnings/province-centre/P-20', 'province');
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual({
      source: 'province-centre',
      externalId: 'P-20',
      status: 'accepted',
      receivedAt: expect.any(String),
      case: { caseRef: expect.stringMatching(/^QZ/), status: 'open', outcome: null, openedAt: expect.any(String), closedAt: null },
    });
    expect(JSON.stringify(mine.body)).not.toMatch(/13877778888|王某/);

    // city-110's warning joined province-centre's case: city-110 learns it was accepted, not the case.
    const joined = await as('GET', '/api/warnings/city-110/C-20', 'city');
    expect(joined.body).toEqual({ source: 'city-110', externalId: 'C-20', status: 'accepted', receivedAt: expect.any(String), case: null });

    // Another source's warning is as unknown as one never posted.
    const foreign = await as('GET', '/api/warnings/province-centre/P-20', 'city');
    const missing = await as('GET', '/api/warnings/city-110/never-posted', 'city');
    expect(foreign).toEqual({ status: 404, body: { error: 'not_found', message: 'no warning province-centre/P-20 from this key\'s sources' } });
    expect(missing).toEqual({ status: 404, body: { error: 'not_found', message: 'no warning city-110/never-posted from this key\'s sources' } });

    const store = await stack.db.open();
    try {
      const reads = await store.db.selectFrom('audit_events').select(['actor', 'action', 'detail']).where('action', '=', 'warning_status_read').orderBy('id').execute();
      expect(reads.map((r) => [r.actor, JSON.parse(r.detail!)])).toEqual([
        ['key:intake@province-centre', { source: 'province-centre', externalId: 'P-20', found: true }],
        ['key:intake@city-110|city-120', { source: 'city-110', externalId: 'C-20', found: true }],
        ['key:intake@city-110|city-120', { source: 'province-centre', externalId: 'P-20', found: false }],
        ['key:intake@city-110|city-120', { source: 'city-110', externalId: 'never-posted', found: false }],
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('network boundary', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { POLICY_FILE: POLICY } });
  });
  afterAll(() => stack?.stop());

  it('listens on loopback only unless HOST says otherwise', async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal)?.address;
    if (!external) throw new Error('this test needs a non-loopback IPv4 interface to try');
    const port = Number(new URL(stack.appUrl).port);
    const result = await new Promise<string>((resolve) => {
      const sock = net.connect({ host: external, port }, () => (sock.destroy(), resolve('connected')));
      sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    });
    expect(result).toBe('ECONNREFUSED');
  });

  it('does not believe X-Forwarded-For from a client: a changing header does not escape the login throttle', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await fetch(`${stack.appUrl}/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i + 1}` },
        body: JSON.stringify({ username: 'nobody', password: `guess-${i}` }),
      });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
  });
});
