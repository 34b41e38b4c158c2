// The case's life around the desk, on the whole running system: a promise of an officer is always kept by
// a handoff, even after an officer returned the case to the flow; a citizen who writes after their case
// was resolved is back on their own case, with its history, and is not asked again whether they paid.
import { eventually } from '../support/stack';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';

describe('lifecycle around the desk', () => {
  let h: DeskHarness;
  let alice: Person;
  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'alice', 'desk');
    alice = new Person(h.baseUrl);
    await alice.login('alice');
  });
  afterAll(() => h.close());

  const activeHandoff = (caseId: string) => h.store.db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).where('status', '<>', 'resolved').executeTakeFirst();

  it('after "return to flow", a citizen who asks for an officer again gets a handoff, not an empty promise', async () => {
    const phone = '+8613800138101';
    const { caseId } = await warnCitizen(h, { phone });
    expect(await citizenTexts(h, phone, '我要找民警')).toBe(200);
    const first = await handoffOf(h, caseId, 'request_human');
    await h.net.waitForSms(phone, { timeoutMs: 10_000, contains: '民警' });
    expect((await alice.json('POST', `/api/desk/handoffs/${first.id}/claim`)).status).toBe(200);
    const returned = await alice.json('POST', `/api/desk/handoffs/${first.id}/return`, { note: '先让机器人继续' });
    expect(returned.body.handoff).toMatchObject({ status: 'resolved', outcome: 'returned_to_flow' });
    expect(await activeHandoff(caseId)).toBeUndefined();

    expect(await citizenTexts(h, phone, '我要找民警，请民警联系我')).toBe(200);
    const promise = await h.net.waitForSms(phone, { timeoutMs: 10_000 });
    expect(promise.body).toMatch(/民警/);
    const again = await eventually(() => activeHandoff(caseId), 'a handoff for the officer the bot promised');
    expect(again).toMatchObject({ reason: 'request_human', status: 'open' });
  });

  it('a resolved citizen who writes again is back on their own case, with its history, and is not asked again whether they paid', async () => {
    const phone = '+8613800138102';
    const { caseId, caseRef, greeting } = await warnCitizen(h, { phone });
    expect(greeting.body).toContain('是否已经给对方转过钱');
    expect(await citizenTexts(h, phone, '我要找民警')).toBe(200);
    const handoff = await handoffOf(h, caseId, 'request_human');
    await h.net.waitForSms(phone, { timeoutMs: 10_000, contains: '民警' });
    await alice.json('POST', `/api/desk/handoffs/${handoff.id}/claim`);
    const resolved = await alice.json('POST', `/api/desk/handoffs/${handoff.id}/resolve`, { outcome: 'dissuaded', note: '已劝阻' });
    expect(resolved.status).toBe(200);
    expect((await h.store.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('closed');

    expect(await citizenTexts(h, phone, '你好，那个人今天又联系我了')).toBe(200);
    const answer = await h.net.waitForSms(phone, { timeoutMs: 10_000 });
    expect(answer.body).toContain(caseRef);
    expect(answer.body).not.toContain('是否已经给对方转过钱');
    const cases = await h.store.db.selectFrom('cases').selectAll().where('phone', '=', phone).execute();
    expect(cases.map((c) => [c.id, c.status])).toEqual([[caseId, 'open']]);
    const actions = (await h.store.db.selectFrom('audit_events').select('action').where('case_id', '=', caseId).orderBy('id').execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['case_opened', 'handoff_resolved', 'case_reopened']));
    const inbound = await h.store.db.selectFrom('messages').select('body').where('case_id', '=', caseId).where('direction', '=', 'in').orderBy('created_at').execute();
    expect(inbound.map((m) => m.body)).toEqual(['我要找民警', '你好，那个人今天又联系我了']);
  });

  it('a relative of a resolved case who writes gets no part of that case', async () => {
    const phone = '+8613800138103';
    const relative = '+8613800138109';
    const { caseId } = await warnCitizen(h, { phone, relatives: [{ phone: relative, relation: '父亲' }] });
    expect(await citizenTexts(h, phone, '我要找民警')).toBe(200);
    const handoff = await handoffOf(h, caseId, 'request_human');
    await alice.json('POST', `/api/desk/handoffs/${handoff.id}/claim`);
    await alice.json('POST', `/api/desk/handoffs/${handoff.id}/resolve`, { outcome: 'dissuaded' });

    expect(await citizenTexts(h, relative, '你们是谁？')).toBe(200);
    const own = await eventually(() => h.store.db.selectFrom('cases').selectAll().where('phone', '=', relative).executeTakeFirst(), 'a case of their own for the relative');
    expect(own.id).not.toBe(caseId);
    expect((await h.store.db.selectFrom('cases').select('status').where('id', '=', caseId).executeTakeFirstOrThrow()).status).toBe('closed');
    const answer = await h.net.waitForSms(relative, { timeoutMs: 10_000 });
    expect(answer.body).not.toContain((await h.store.db.selectFrom('cases').select('case_ref').where('id', '=', caseId).executeTakeFirstOrThrow()).case_ref);
  });
});
