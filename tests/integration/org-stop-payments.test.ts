// Stop-payment with the bank on the whole running system, on SQLite and PostgreSQL: the clock from the
// citizen's first mention of a payment against the 30-minute window, the request filed from the desk, the
// three-way Twilio Conference (officer, citizen, the bank's anti-fraud line from org/banks.example.yaml) on
// the local phone network, the bank's answers moving the request's status, and the export.
import path from 'node:path';
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';

jest.setTimeout(120_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');
const BANKS_FILE = path.resolve(__dirname, '../../org/banks.example.yaml');
const PAID = '我刚才已经用支付宝转了8000元到安全账户 6222020200112233445';
const OFFICER_PHONE = '+8613911112222';
const ALIPAY_LINE = '+861055550103';
const ICBC_LINE = '+861055550101';

let seq = 0;
const nextPhone = () => `+86136${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;

describe.each(ENGINES)('stop-payment with the bank on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  let li: Person;
  let wang: Person;
  let nophone: Person;

  /** A warned citizen in D01 who says they already paid, claimed by li.wei. */
  async function paidCase(): Promise<{ caseId: string; caseRef: string; handoffId: string; phone: string; saidAt: string }> {
    const phone = nextPhone();
    const w = await warnCitizen(h, { phone, name: '王某', scamType: 'impersonation_police', unitCode: 'D01' });
    expect(await citizenTexts(h, phone, PAID)).toBe(200);
    const handoff = await handoffOf(h, w.caseId, 'already_paid');
    expect((await li.json('POST', `/api/desk/handoffs/${handoff.id}/claim`)).status).toBe(200);
    const said = await h.store.db.selectFrom('messages').select('created_at').where('case_id', '=', w.caseId).where('direction', '=', 'in').executeTakeFirstOrThrow();
    return { ...w, handoffId: handoff.id, phone, saidAt: said.created_at };
  }

  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb(), env: { UNITS_FILE, BANKS_FILE } });
    await addUser(h.store, 'li.wei', 'desk', { phone: OFFICER_PHONE, displayName: '李伟' });
    await addUser(h.store, 'wang.fang', 'desk', { phone: '+8613922223333' });
    await addUser(h.store, 'no.phone', 'desk');
    for (const [u, unit] of [['li.wei', 'D01'], ['wang.fang', 'D02'], ['no.phone', 'D01']]) expect((await h.stack.api('PATCH', `/api/org/people/${u}`, 'admin', { unitCode: unit })).status).toBe(200);
    li = new Person(h.baseUrl);
    wang = new Person(h.baseUrl);
    nophone = new Person(h.baseUrl);
    await li.login('li.wei');
    await wang.login('wang.fang');
    await nophone.login('no.phone');
  });
  afterAll(() => h?.close());

  it('files a request against the 30-minute clock and joins officer, citizen and bank in one conference', async () => {
    const c = await paidCase();
    const before = await li.json('GET', `/api/desk/cases/${c.caseId}/stop-payments`);
    expect(before.body.requests).toEqual([]);
    expect(before.body.clock).toMatchObject({ firstMentionedAt: c.saidAt, windowMinutes: 30, deadlineAt: new Date(Date.parse(c.saidAt) + 30 * 60_000).toISOString(), enteredWithinWindow: null });
    expect(before.body.clock.secondsLeft).toBeGreaterThan(0);
    expect(before.body.clock.secondsLeft).toBeLessThanOrEqual(1800);
    const view = await li.json('GET', `/api/desk/cases/${c.caseId}`);
    expect(view.body.stopPaymentClock).toMatchObject({ firstMentionedAt: c.saidAt, windowMinutes: 30 });
    expect((await li.json('GET', '/api/org/banks')).body.banks.map((b: { code: string }) => b.code)).toEqual(['ICBC', 'CCB', 'ALIPAY', 'WECHAT_PAY']);

    const detail = { amount: 8000, method: 'alipay', account: '6222020200112233445', paidAt: '刚才' };
    expect(await li.json('POST', `/api/desk/cases/${c.caseId}/stop-payments`, { ...detail, bankCode: 'NOBANK' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'bankCode: no bank NOBANK; known: ICBC, CCB, ALIPAY, WECHAT_PAY' },
    });
    expect(await li.json('POST', `/api/desk/cases/${c.caseId}/stop-payments`, { ...detail, amount: -1 })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid stop-payment: amount: must be more than 0' },
    });
    expect((await wang.json('POST', `/api/desk/cases/${c.caseId}/stop-payments`, { ...detail, bankCode: 'ALIPAY' })).status).toBe(403);
    const filed = await li.json('POST', `/api/desk/cases/${c.caseId}/stop-payments`, { ...detail, bankCode: 'alipay' });
    expect(filed.status).toBe(201);
    const request = filed.body.request;
    expect(request).toMatchObject({ status: 'requested', next: ['confirmed', 'frozen', 'refused'], amount: 8000, currency: 'CNY', bank: { code: 'ALIPAY', name: { zh: '支付宝', en: 'Alipay' } }, requestedBy: 'li.wei', unit: 'D01' });
    expect(request.clock).toMatchObject({ firstMentionedAt: c.saidAt, enteredWithinWindow: true, secondsLeft: null });

    // The three-way call: the officer's phone, the citizen and Alipay's anti-fraud line all answer.
    for (const n of [OFFICER_PHONE, c.phone, ALIPAY_LINE]) await h.net.setBehaviour(n, { call: 'answer' });
    const call = await li.json('POST', `/api/org/stop-payments/${request.id}/call`, {});
    expect(call.status).toBe(202);
    expect(call.body).toMatchObject({ room: `qz-sp-${request.id}`, conferenceSid: expect.stringMatching(/^CF/), bank: { code: 'ALIPAY' } });
    // The officer's phone rings first; the citizen and the bank are dialled in once the officer is in the room.
    expect(call.body.participants.map((p: { label: string }) => p.label)).toEqual(['officer']);
    const room = await h.net.waitForConference(call.body.room, { connected: 3, timeoutMs: 10_000 });
    expect(room.participants.map((p) => [p.label, p.number, p.status])).toEqual([
      ['officer', OFFICER_PHONE, 'connected'],
      ['citizen', c.phone, 'connected'],
      ['bank', ALIPAY_LINE, 'connected'],
    ]);
    expect(room.participants.find((p) => p.label === 'officer')).toMatchObject({ startConferenceOnEnter: true, endConferenceOnExit: true });
    // Every call in the room comes from the centre's number.
    for (const p of room.participants) expect((await h.net.call(p.callSid)).from).toBe(h.stack.env.TWILIO_FROM);
    const joined = () => h.store.db.selectFrom('audit_events').select('detail').where('case_id', '=', c.caseId).where('action', '=', 'bank_call_event').orderBy('id').execute();
    await eventually(async () => (await joined()).filter((e) => JSON.parse(e.detail!).event === 'participant-join').length === 3, 'three joins recorded on the case');

    // The officer hangs up when the bank has the details: the room ends for everyone.
    await h.net.hangUp(room.participants[0]!.callSid);
    await h.net.waitForConference(call.body.room, { status: 'completed' });
    await eventually(async () => (await joined()).some((e) => JSON.parse(e.detail!).event === 'conference-end'), 'the end of the call recorded');
    const timeline = (await li.json('GET', `/api/desk/cases/${c.caseId}`)).body.timeline as { action?: string; detail?: any }[];
    expect(timeline.find((t) => t.action === 'bank_call')?.detail).toEqual({ requestId: request.id, bank: 'ALIPAY', conferenceSid: room.sid });
    expect(timeline.find((t) => t.action === 'bank_call_event' && t.detail.event === 'dialled')?.detail).toMatchObject({ reason: 'citizen,bank' });
    expect(timeline.find((t) => t.action === 'bank_call_event' && t.detail.event === 'conference-end')?.detail).toEqual({ requestId: request.id, event: 'conference-end', label: null, reason: 'participant-with-end-conference-on-exit-left' });

    // The bank answers over the next hours; the status only moves forward.
    const patch = (body: unknown) => li.json('PATCH', `/api/org/stop-payments/${request.id}`, body);
    expect(await patch({ status: 'amount_returned', returnedAmount: 8000 })).toEqual({ status: 409, body: { error: 'conflict', message: 'a requested request can become confirmed or frozen or refused, not amount_returned' } });
    expect((await patch({ status: 'frozen', bankReference: 'ALP-20260908-0042', note: '支付宝已冻结收款账户' })).body.request).toMatchObject({ status: 'frozen', bankReference: 'ALP-20260908-0042', statusBy: 'li.wei', next: ['amount_returned'] });
    expect(await patch({ status: 'amount_returned' })).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid stop-payment status: returnedAmount: required when the amount was returned' } });
    expect((await patch({ status: 'amount_returned', returnedAmount: 8000 })).body.request).toMatchObject({ status: 'amount_returned', returnedAmount: 8000, next: [] });
    expect(await patch({ status: 'refused' })).toEqual({ status: 409, body: { error: 'conflict', message: 'this request is amount_returned: that is final' } });
    expect((await wang.json('PATCH', `/api/org/stop-payments/${request.id}`, { status: 'refused' })).status).toBe(403);

    // Resolving the handoff with the same outcome does not file the request a second time.
    const resolved = await li.json('POST', `/api/desk/handoffs/${c.handoffId}/resolve`, { outcome: 'stop_payment_requested', stopPayment: detail });
    expect(resolved.status).toBe(200);
    expect((await li.json('GET', `/api/desk/cases/${c.caseId}/stop-payments`)).body.requests).toHaveLength(1);

    // The export for the stop-payment system: Chinese headers, the centre's local time, the window kept.
    const csv = await li.request('GET', '/api/org/stop-payments?format=csv');
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="stop-payment-requests-\d{8}-\d{4}\.csv"$/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]!.split(',').slice(0, 7)).toEqual(['案件编号 case_ref', '止付申请号 request_id', '状态 status', '首次提及转账 first_mentioned', '申请时间 requested_at', '距首次提及分钟 minutes_from_mention', '一级账户时限内 within_window']);
    const row = lines.find((l) => l.includes(request.id))!.split(',');
    expect(row[0]).toBe(c.caseRef);
    expect(row[2]).toBe('已返还 (amount_returned)');
    expect(row[3]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+08:00$/);
    expect(row[6]).toBe('是 yes');
    expect(row[10]).toBe('6222020200112233445');
    expect(row[11]).toBe('支付宝 ALIPAY');
    expect(row[14]).toBe(c.phone.slice(0, 6) + '****' + c.phone.slice(-4));
    const json = await h.stack.api('GET', '/api/org/stop-payments?status=amount_returned', 'desk');
    expect(json.body.requests.find((r: { id: string }) => r.id === request.id)).toMatchObject({ caseRef: c.caseRef, phone: c.phone, status: 'amount_returned' });
    // Another district's desk does not see this unit's requests.
    expect((await wang.json('GET', '/api/org/stop-payments')).body.requests.map((r: { id: string }) => r.id)).not.toContain(request.id);
    // Reports per unit count the request, its status and that it was filed within the 30 minutes.
    const report = await h.stack.api('GET', '/api/org/reports', 'manager');
    const d01 = report.body.units.find((u: { unit: { code: string } }) => u.unit.code === 'D01').row;
    expect(d01.stopPaymentRequests).toEqual({ requests: 1, byStatus: { requested: 0, confirmed: 0, frozen: 0, refused: 0, amount_returned: 1 }, withinWindow: 1, withinWindowRate: 1 });
    expect(report.body.units.find((u: { unit: { code: string } }) => u.unit.code === 'CITY').row.stopPaymentRequests.requests).toBe(1);
  });

  it('tells the desk when the bank line does not answer, and never rings the citizen when the officer does not', async () => {
    const c = await paidCase();
    const filed = await li.json('POST', `/api/desk/cases/${c.caseId}/stop-payments`, { amount: 30000, method: 'bank_transfer', account: '6217000010002000300', paidAt: '昨天晚上八点', bankCode: 'ICBC' });
    expect(filed.status).toBe(201);
    const id = filed.body.request.id;
    expect(await nophone.json('POST', `/api/org/stop-payments/${id}/call`, {})).toEqual({
      status: 400, body: { error: 'validation_error', message: 'no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER' },
    });
    const events = () => h.store.db.selectFrom('audit_events').select('detail').where('case_id', '=', c.caseId).where('action', '=', 'bank_call_event').orderBy('id').execute();

    await h.net.setBehaviour(OFFICER_PHONE, { call: 'answer' });
    await h.net.setBehaviour(c.phone, { call: 'answer' });
    await h.net.setBehaviour(ICBC_LINE, { call: 'no-answer' });
    const first = await li.json('POST', `/api/org/stop-payments/${id}/call`, {});
    expect(first.status).toBe(202);
    await eventually(async () => (await events()).map((e) => JSON.parse(e.detail!)).find((d) => d.event === 'participant-not-reached' && d.label === 'bank'), 'the unanswered bank line recorded');
    await h.net.hangUp((await h.net.waitForConference(first.body.room, { connected: 2 })).participants[0]!.callSid);
    await h.net.waitForConference(first.body.room, { status: 'completed' });

    // The officer's phone does not answer: the citizen is never rung into an empty room.
    const citizenCalls = (await h.net.calls(c.phone)).length;
    await h.net.setBehaviour(OFFICER_PHONE, { call: 'no-answer' });
    await h.net.setBehaviour(ICBC_LINE, { call: 'answer' });
    const second = await li.json('POST', `/api/org/stop-payments/${id}/call`, {});
    expect(second.status).toBe(202);
    expect(second.body.conferenceSid).not.toBe(first.body.conferenceSid);
    await eventually(async () => (await events()).map((e) => JSON.parse(e.detail!)).find((d) => d.event === 'participant-not-reached' && d.label === 'officer'), 'the unanswered officer recorded');
    const room = (await h.net.conferences()).find((x) => x.sid === second.body.conferenceSid)!;
    expect(room.participants.map((p) => [p.label, p.status])).toEqual([['officer', 'failed']]);
    expect((await h.net.calls(c.phone)).length).toBe(citizenCalls);
    expect((await events()).map((e) => JSON.parse(e.detail!)).filter((d) => d.event === 'participant-not-reached').map((d) => d.label)).toEqual(['bank', 'officer']);
  });
});
