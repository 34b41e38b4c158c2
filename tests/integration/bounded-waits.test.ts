// An officer writes to a citizen while Redis (or PostgreSQL) stops answering: the desk gets a clear 503
// with retry advice instead of a request that hangs, and retrying with the same Idempotency-Key returns the
// first result — the citizen gets the message once, however often the officer retries.
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';
import { eventually, REDIS_URL } from '../support/stack';
import { PG_URL, postgresDatabase, type TestDatabase } from '../support/databases';
import { tcpProxy, type TcpProxy } from '../support/tcp-proxy';

jest.setTimeout(120_000);
const PHONE = '+8613900139091';

/** A signed-in officer's request with an Idempotency-Key; never waits longer than `guardMs` for an answer. */
async function send(h: DeskHarness, p: Person, path: string, body: unknown, key?: string, guardMs = 30_000) {
  const res = await fetch(`${h.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Cookie: p.cookie!, 'X-CSRF-Token': p.csrf!, ...(key ? { 'Idempotency-Key': key } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(guardMs),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

/** Retries with the same key, as the console does, while the answer is "not yet": a deadline 503 or a 409 in progress. */
async function settled(h: DeskHarness, p: Person, path: string, body: unknown, key?: string) {
  return eventually(async () => {
    const r = await send(h, p, path, body, key);
    return (r.status === 503 && r.body.error === 'dependency_timeout') || (r.status === 409 && r.body.error === 'request_in_progress') ? undefined : r;
  }, `an answer to ${path}`, 60_000);
}

describe('bounded waits and idempotent desk writes', () => {
  let h: DeskHarness;
  let redis: TcpProxy;
  let pg: TcpProxy;
  let alice: Person;
  let caseId: string;
  beforeAll(async () => {
    redis = await tcpProxy({ host: '127.0.0.1', port: Number(new URL(REDIS_URL).port || 6379) });
    pg = await tcpProxy({ host: '127.0.0.1', port: Number(new URL(PG_URL).port || 5432) });
    const base = postgresDatabase();
    // The app reaches both through the proxies; the test's own connection (h.store) goes direct.
    const db: TestDatabase = { ...base, env: { ...base.env, DATABASE_URL: pg.url(PG_URL) } };
    h = await startDeskHarness({ db, env: { REDIS_URL: redis.url(REDIS_URL), REQUEST_TIMEOUT_MS: '3000' } });
    await addUser(h.store, 'alice', 'desk', { phone: '+8613911113333' }); // rung by the desk's call button
    alice = new Person(h.baseUrl);
    // A loaded machine can take longer than the short deadline to check a password: sign in until it does.
    await eventually(async () => (await alice.login('alice')).status === 200, 'alice signed in');
    ({ caseId } = await warnCitizen(h, { phone: PHONE, riskLevel: 'medium' }));
    expect(await citizenTexts(h, PHONE, '我已经转了5000块')).toBe(200);
    const handoff = await handoffOf(h, caseId);
    await eventually(async () => (await alice.json('POST', `/api/desk/handoffs/${handoff.id}/claim`)).status === 200, 'alice holding the case');
  });
  afterAll(async () => {
    redis?.heal();
    pg?.heal();
    await h?.close();
    await redis?.close();
    await pg?.close();
  });

  const deskTexts = async (body: string) => (await h.net.inbox(PHONE)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen' && i.text === body);

  it('takes a desk message while Redis hangs (the outbox holds it), sends it once Redis is back, and a retry with the same key never sends twice', async () => {
    const body = { body: '您好，我是反诈中心李警官，请先不要再转账，我马上给您打电话。' };
    redis.hang();
    let first;
    try {
      // The message is written to the outbox in the database; Redis is not on the answer's path.
      first = await send(h, alice, `/api/desk/cases/${caseId}/messages`, body, 'msg-7c1e0b2a');
      expect(first.status).toBe(202);
      expect(first.body.message).toMatchObject({ body: body.body, channel: 'sms', author: 'alice' });
      // The officer retries at once: the first answer is replayed, nothing is written again.
      const again = await send(h, alice, `/api/desk/cases/${caseId}/messages`, body, 'msg-7c1e0b2a');
      expect([again.status, again.headers.get('idempotent-replayed'), again.body.message.id]).toEqual([202, 'true', first.body.message.id]);
    } finally {
      redis.heal();
    }
    // Once Redis answers, the relay sends it, once.
    await h.net.waitForSms(PHONE, { timeoutMs: 30_000, contains: '李警官' });
    const again = await settled(h, alice, `/api/desk/cases/${caseId}/messages`, body, 'msg-7c1e0b2a');
    expect([again.status, again.body.message.id]).toEqual([202, first.body.message.id]);
    const stored = await h.store.db.selectFrom('messages').select('id').where('case_id', '=', caseId).where('body', '=', body.body).execute();
    expect(stored.map((m) => m.id)).toEqual([first.body.message.id]);
    expect(await deskTexts(body.body)).toHaveLength(1);
  });

  it('refuses the same key for a different message, and a key that is not one', async () => {
    const reused = await settled(h, alice, `/api/desk/cases/${caseId}/messages`, { body: '另一条消息' }, 'msg-7c1e0b2a');
    expect(reused.status).toBe(422);
    expect(reused.body).toEqual({ error: 'idempotency_key_reused', message: 'this Idempotency-Key was used for a different request: use a new key for a new message or call' });
    const odd = await settled(h, alice, `/api/desk/cases/${caseId}/messages`, { body: 'x' }, 'no spaces allowed');
    expect(odd.status).toBe(400);
    expect(odd.body.error).toBe('invalid_idempotency_key');
  });

  it('places one call for any number of retries with the same key', async () => {
    // The bridge rings the officer's own phone first, then connects the citizen.
    const OFFICER = '+8613911113333';
    const before = (await h.net.calls(OFFICER)).length;
    const first = await settled(h, alice, `/api/desk/cases/${caseId}/call`, {}, 'call-55aa01');
    expect(first.status).toBe(202);
    const again = await settled(h, alice, `/api/desk/cases/${caseId}/call`, {}, 'call-55aa01');
    expect([again.status, again.body.callSid, again.headers.get('idempotent-replayed')]).toEqual([202, first.body.callSid, 'true']);
    await eventually(async () => (await h.net.calls(OFFICER)).length > before, 'the bridged call');
    expect(await h.net.calls(OFFICER)).toHaveLength(before + 1);
    const desk = await h.store.db.selectFrom('audit_events').select('id').where('case_id', '=', caseId).where('action', '=', 'desk_call').execute();
    expect(desk).toHaveLength(1);
  });

  it('answers 503 with Retry-After while PostgreSQL hangs, instead of holding the desk', async () => {
    pg.hang();
    try {
      const queue = await fetch(`${h.baseUrl}/api/desk/queue`, { headers: { Cookie: alice.cookie! }, signal: AbortSignal.timeout(30_000) });
      expect(queue.status).toBe(503);
      expect(((await queue.json()) as { error: string }).error).toBe('dependency_timeout');
      expect(Number(queue.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      pg.heal();
    }
    await eventually(async () => (await fetch(`${h.baseUrl}/api/desk/queue`, { headers: { Cookie: alice.cookie! } })).status === 200, 'the desk back');
  });
});
