// What the desk console adds to the desk API, on the whole running system and on both storage engines:
// search and filters over the queue and the resolved cases, internal notes, canned replies filled for the
// case, each person's remembered language and alerts, security headers on every page, and the live
// stream that ends when its person signs out.
import { ENGINES } from '../support/databases';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';

const PAID_PHONE = '+8613800138000';
const SCAM_PHONE = '+8613700137011';

describe.each(ENGINES)('desk console API on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  let alice: Person;
  let bob: Person;
  let carol: Person;
  let paid: { caseId: string; caseRef: string; handoffId: string };
  let scam: { caseId: string; caseRef: string; handoffId: string };

  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb() });
    await addUser(h.store, 'alice', 'desk', { displayName: '李伟' });
    await addUser(h.store, 'bob', 'desk');
    await addUser(h.store, 'carol', 'manager');
    for (const [p, u] of [
      [(alice = new Person(h.baseUrl)), 'alice'],
      [(bob = new Person(h.baseUrl)), 'bob'],
      [(carol = new Person(h.baseUrl)), 'carol'],
    ] as const)
      expect((await p.login(u)).status).toBe(200);
    const a = await warnCitizen(h, { phone: PAID_PHONE, name: '王某', scamType: 'impersonation_police', riskLevel: 'medium' });
    expect(await citizenTexts(h, PAID_PHONE, '我刚才已经用支付宝转了8000元')).toBe(200);
    paid = { ...a, handoffId: (await handoffOf(h, a.caseId, 'already_paid')).id };
    const b = await warnCitizen(h, { phone: SCAM_PHONE, name: 'Alex Chen', scamType: 'investment', riskLevel: 'medium', locale: 'en' });
    expect(await citizenTexts(h, SCAM_PHONE, 'they told me to move my savings to a safe account')).toBe(200);
    scam = { ...b, handoffId: (await handoffOf(h, b.caseId, 'mid_scam')).id };
  });
  afterAll(() => h?.close());

  const refsOf = (body: { items: { caseRef: string }[] }) => body.items.map((i) => i.caseRef);

  it('searches the queue by case ref, name and the phone as a desk officer sees it', async () => {
    expect(refsOf((await alice.json('GET', `/api/desk/queue?q=${paid.caseRef.toLowerCase()}`)).body)).toEqual([paid.caseRef]);
    expect(refsOf((await alice.json('GET', `/api/desk/queue?q=${encodeURIComponent('alex')}`)).body)).toEqual([scam.caseRef]);
    expect(refsOf((await alice.json('GET', `/api/desk/queue?q=${encodeURIComponent('王')}`)).body)).toEqual([paid.caseRef]);
    // As the list shows it: +86138****8000.
    expect(refsOf((await alice.json('GET', `/api/desk/queue?q=${encodeURIComponent('138****8000')}`)).body)).toEqual([paid.caseRef]);
    expect(refsOf((await alice.json('GET', '/api/desk/queue?q=8000')).body)).toEqual([paid.caseRef]);
    // The hidden digits never match for a desk officer (a search must not reveal them); a supervisor sees numbers in full.
    expect(refsOf((await alice.json('GET', '/api/desk/queue?q=13800138000')).body)).toEqual([]);
    expect(refsOf((await carol.json('GET', '/api/desk/queue?q=13800138000')).body)).toEqual([paid.caseRef]);
    // Wildcards are text, not patterns.
    expect(refsOf((await alice.json('GET', `/api/desk/queue?q=${encodeURIComponent('%')}`)).body)).toEqual([]);
  });

  it('filters the queue by reason, risk and scam type, with counts of each value', async () => {
    const all = await alice.json('GET', '/api/desk/queue');
    expect(refsOf(all.body)).toEqual([paid.caseRef, scam.caseRef]);
    expect(all.body.facets.reason.find((f: { value: string }) => f.value === 'already_paid')).toEqual({ value: 'already_paid', count: 1 });
    expect(all.body.facets.scamType.find((f: { value: string }) => f.value === 'investment')).toEqual({ value: 'investment', count: 1 });
    expect(all.body.facets.risk.map((f: { value: string }) => f.value)).toEqual(['low', 'medium', 'high']);
    const onlyPaid = await alice.json('GET', '/api/desk/queue?reason=already_paid');
    expect(refsOf(onlyPaid.body)).toEqual([paid.caseRef]);
    // The counts stay those of the whole queue, so the tab title does not change with a filter.
    expect(onlyPaid.body.counts).toEqual(all.body.counts);
    expect(onlyPaid.body.matched).toBe(1);
    expect(refsOf((await alice.json('GET', '/api/desk/queue?scamType=investment&risk=medium')).body)).toEqual([scam.caseRef]);
    expect(refsOf((await alice.json('GET', '/api/desk/queue?scamType=investment&reason=already_paid')).body)).toEqual([]);
    const bad = await alice.json('GET', '/api/desk/queue?reason=scared');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('validation_error');
    expect(bad.body.message).toMatch(/^invalid query: reason: must be one of already_paid, mid_scam/);
  });

  it('keeps internal notes on a case, masked like the rest for officers who do not hold it', async () => {
    const empty = await alice.json('POST', `/api/desk/cases/${paid.caseId}/notes`, { body: '   ' });
    expect(empty).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid note: body: write something first' } });
    const added = await alice.json('POST', `/api/desk/cases/${paid.caseId}/notes`, { body: '市民父亲电话 13900139000，已通知。' });
    expect(added.status).toBe(201);
    expect(added.body.note).toMatchObject({ author: 'alice', body: '市民父亲电话 13900139000，已通知。' });
    const seenByBob = (await bob.json('GET', `/api/desk/cases/${paid.caseId}`)).body;
    expect(seenByBob.notes).toEqual([{ id: added.body.note.id, author: 'alice', body: '市民父亲电话 139****9000，已通知。', createdAt: added.body.note.createdAt }]);
    const seenByCarol = (await carol.json('GET', `/api/desk/cases/${paid.caseId}`)).body;
    expect(seenByCarol.notes[0].body).toBe('市民父亲电话 13900139000，已通知。');
    const audited = await h.store.db.selectFrom('audit_events').select(['actor', 'detail']).where('action', '=', 'case_note_added').execute();
    expect(audited).toEqual([{ actor: 'alice', detail: JSON.stringify({ noteId: added.body.note.id, length: 23 }) }]);
    expect((await alice.json('POST', '/api/desk/cases/00000000-0000-4000-8000-000000000000/notes', { body: 'x' })).status).toBe(404);
  });

  it('offers canned replies in the citizen\'s language, filled for the case and the officer', async () => {
    const zh = await alice.json('GET', `/api/desk/cases/${paid.caseId}/canned-replies`);
    expect(zh.body.locale).toBe('zh');
    expect(zh.body.replies[0]).toMatchObject({ title: '表明身份', text: `王某您好，我是市反诈中心民警李伟。您的案件编号是${paid.caseRef}。您可以挂断后拨打110或96110核实我的身份。` });
    const en = await bob.json('GET', `/api/desk/cases/${scam.caseId}/canned-replies`);
    expect(en.body.locale).toBe('en');
    expect(en.body.replies[0].text).toBe(`Hello Alex Chen, this is officer bob of City Anti-Fraud Centre. Your case number is ${scam.caseRef}. You can hang up and call 110 or 96110 to check who I am.`);

    // Managers keep the list; a typo in a placeholder is refused, naming it.
    const typo = await carol.json('POST', '/api/canned-replies', { locale: 'zh', title: '核实', body: '请拨打{calback_number}核实。' });
    expect(typo).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid canned reply: body: unknown placeholder {calback_number}; known: {name} {case_ref} {officer} {centre_name} {callback_number}' } });
    const created = await carol.json('POST', '/api/canned-replies', { locale: 'zh', title: '核实', body: '请拨打{callback_number}核实，报案件编号{case_ref}。' });
    expect(created.status).toBe(201);
    expect((await alice.json('POST', '/api/canned-replies', { locale: 'zh', title: 'x', body: 'y' })).status).toBe(403);
    const withNew = await alice.json('GET', `/api/desk/cases/${paid.caseId}/canned-replies`);
    expect(withNew.body.replies.at(-1)).toMatchObject({ id: created.body.reply.id, text: `请拨打96110核实，报案件编号${paid.caseRef}。` });
    expect((await carol.json('PUT', `/api/canned-replies/${created.body.reply.id}`, { title: '请核实' })).body.reply.title).toBe('请核实');
    expect((await carol.json('DELETE', `/api/canned-replies/${created.body.reply.id}`)).status).toBe(204);
    expect((await carol.json('DELETE', `/api/canned-replies/${created.body.reply.id}`)).status).toBe(404);
  });

  it('remembers each person\'s language and alerts, Chinese by default', async () => {
    const me = await bob.json('GET', '/api/me');
    expect(me.body.preferences).toEqual({ locale: 'zh', alertSound: false, alertDesktop: false });
    expect(me.body.centre).toEqual({ name: { zh: '市反诈中心', en: 'City Anti-Fraud Centre' }, callbackNumber: '96110', utcOffsetMinutes: 480, utcOffset: '+08:00', timeZone: 'Etc/GMT-8' });
    expect((await bob.json('PUT', '/api/me/preferences', { locale: 'en', alertSound: true })).body.preferences).toEqual({ locale: 'en', alertSound: true, alertDesktop: false });
    expect((await bob.json('PUT', '/api/me/preferences', { alertDesktop: true })).body.preferences).toEqual({ locale: 'en', alertSound: true, alertDesktop: true });
    // A new session on another machine finds them.
    const again = new Person(h.baseUrl);
    await again.login('bob');
    expect((await again.json('GET', '/api/me')).body.preferences).toEqual({ locale: 'en', alertSound: true, alertDesktop: true });
    expect((await alice.json('GET', '/api/me')).body.preferences.locale).toBe('zh');
    const bad = await bob.json('PUT', '/api/me/preferences', { locale: 'fr' });
    expect(bad).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid preferences: locale: must be one of zh, en' } });
    expect((await h.stack.api('GET', '/api/me', 'desk')).status).toBe(401);
  });

  it('lists resolved cases with their outcome, newest first, searchable and paged', async () => {
    expect((await alice.json('POST', `/api/desk/handoffs/${scam.handoffId}/claim`)).status).toBe(200);
    expect((await alice.json('POST', `/api/desk/handoffs/${scam.handoffId}/resolve`, { outcome: 'dissuaded', note: 'stopped' })).status).toBe(200);
    const active = await alice.json('GET', '/api/desk/queue');
    expect(refsOf(active.body)).toEqual([paid.caseRef]);
    const resolved = await alice.json('GET', '/api/desk/resolved');
    expect(resolved.body.items).toEqual([expect.objectContaining({ caseId: scam.caseId, caseRef: scam.caseRef, status: 'resolved', outcome: 'dissuaded', claimedBy: 'alice', caseStatus: 'closed', phone: '+86137****7011', name: 'Alex Chen' })]);
    expect(resolved.body.next).toBeNull();
    expect(resolved.body.facets.reason.find((f: { value: string }) => f.value === 'mid_scam').count).toBe(1);
    expect(refsOf((await alice.json('GET', `/api/desk/resolved?q=${paid.caseRef}`)).body)).toEqual([]);
    const page = await alice.json('GET', '/api/desk/resolved?limit=1');
    expect(page.body.next).toBe(resolved.body.items[0].resolvedAt);
    expect((await alice.json('GET', `/api/desk/resolved?limit=1&before=${encodeURIComponent(page.body.next)}`)).body.items).toEqual([]);
    // The history of a closed case stays readable.
    const view = await alice.json('GET', `/api/desk/cases/${scam.caseId}`);
    expect(view.body.case.status).toBe('closed');
    expect(view.body.handoffs.map((x: { outcome: string }) => x.outcome)).toEqual(['dissuaded']);
  });

  it('sends the security headers on every page and answer', async () => {
    for (const path of ['/desk/', '/manager/', '/login', '/api/me', '/build/preact.js']) {
      const res = await fetch(`${h.baseUrl}${path}`);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect({ path, csp }).toEqual({ path, csp: expect.stringContaining("script-src 'self'") });
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('ends the live stream when its person signs out', async () => {
    const dave = new Person(h.baseUrl);
    await addUser(h.store, `dave.${_engine}`, 'desk');
    await dave.login(`dave.${_engine}`);
    const cookie = dave.cookie!;
    const res = await fetch(`${h.baseUrl}/api/desk/stream`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('event: ready')) text += decoder.decode((await reader.read()).value, { stream: true });
    expect((await dave.request('DELETE', '/api/session')).status).toBe(204);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toContain('event: signed-out');
    // And it cannot be opened again with the old cookie.
    const after = await fetch(`${h.baseUrl}/api/desk/stream`, { headers: { Cookie: cookie, Accept: 'text/event-stream' } });
    expect(after.status).toBe(401);
  });
});
