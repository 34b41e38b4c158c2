// A desk officer who does not hold a case sees no full phone number of it anywhere: not in the case API's
// attempt details (Twilio's error text names the number), the audit, the transcript, the desk view, the
// queue or the stop-payment export. The officer who holds the claim still sees them in full.
import { Person, addUser, citizenTexts, handoffOf, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';
import { eventually } from '../support/stack';

jest.setTimeout(90_000);
const PHONE = '+8613900139081';
/** The number, however it might be written, as a pattern over a whole response. */
const fullNumber = (e164: string) => {
  const d = e164.replace(/^\+86/, '');
  return new RegExp(`${d.slice(0, 3)}\\D{0,3}${d.slice(3, 7)}\\D{0,3}${d.slice(7)}`);
};

describe('phone numbers at every exit', () => {
  let h: DeskHarness;
  let caseId: string;
  let alice: Person;
  let bob: Person;
  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'alice', 'desk');
    await addUser(h.store, 'bob', 'desk');
    // The call is refused as an invalid number: Twilio's error text, with the number in it, lands on the attempt.
    await h.net.setBehaviour(PHONE, { apiError: { code: 21211, for: 'call' } });
    const w = await warnCitizen(h, { phone: PHONE, riskLevel: 'high', relatives: [{ phone: '+8613900139082', relation: 'father' }] });
    caseId = w.caseId;
    expect(await citizenTexts(h, PHONE, '我已经转了3万，我另一个号码是 139.1234.5678，你打这个')).toBe(200);
    await handoffOf(h, caseId);
    await eventually(async () => (await h.store.db.selectFrom('contact_attempts').select('detail').where('case_id', '=', caseId).where('status', '=', 'failed').executeTakeFirst())?.detail, 'the failed call attempt');
    alice = new Person(h.baseUrl);
    bob = new Person(h.baseUrl);
    await alice.login('alice');
    await bob.login('bob');
  });
  afterAll(() => h?.close());

  it('keeps the provider error text on the attempt (what is masked is the exit, not the record)', async () => {
    const attempt = await h.store.db.selectFrom('contact_attempts').select('detail').where('case_id', '=', caseId).where('status', '=', 'failed').executeTakeFirstOrThrow();
    expect(attempt.detail).toContain(PHONE);
  });

  it('shows no full number to an officer who does not hold the case, in the case API, the desk view and the queue', async () => {
    const api = await bob.json('GET', `/api/cases/${caseId}`);
    expect(api.status).toBe(200);
    const failed = api.body.attempts.find((a: { status: string }) => a.status === 'failed');
    expect(failed.detail).toBe("Twilio: Invalid 'To' Phone Number: +86139****9081");
    const view = await bob.json('GET', `/api/desk/cases/${caseId}`);
    const queue = await bob.json('GET', '/api/desk/queue');
    for (const [what, body] of [
      ['case API', api.body],
      ['desk view', view.body],
      ['queue', queue.body],
    ] as const) {
      const text = JSON.stringify(body);
      expect([what, fullNumber(PHONE).test(text), fullNumber('+8613900139082').test(text), /1234\D?5678/.test(text)]).toEqual([what, false, false, false]);
    }
    const reply = api.body.transcript.find((m: { direction: string }) => m.direction === 'in');
    expect(reply.body).toBe('我已经转了3万，我另一个号码是 139****5678，你打这个');
  });

  it('shows the numbers in full to the officer holding the claim', async () => {
    const handoff = await handoffOf(h, caseId);
    expect((await alice.json('POST', `/api/desk/handoffs/${handoff.id}/claim`)).status).toBe(200);
    const api = await alice.json('GET', `/api/cases/${caseId}`);
    expect(api.body.case.phone).toBe(PHONE);
    expect(api.body.attempts.find((a: { status: string }) => a.status === 'failed').detail).toContain(PHONE);
    expect(api.body.transcript.find((m: { direction: string }) => m.direction === 'in').body).toContain('139.1234.5678');
    // Bob still sees it masked while alice holds it.
    expect(fullNumber(PHONE).test(JSON.stringify((await bob.json('GET', `/api/cases/${caseId}`)).body))).toBe(false);
  });

  it('masks numbers in the notes of a stop-payment export for a desk officer', async () => {
    const handoff = await handoffOf(h, caseId);
    const resolved = await alice.json('POST', `/api/desk/handoffs/${handoff.id}/resolve`, {
      outcome: 'stop_payment_requested',
      note: '家属电话 0086-139-0013-9082，银行已受理',
      stopPayment: { amount: 30000, currency: 'CNY', method: 'bank_transfer', account: '6222020200112233445', paidAt: '2026-09-08T10:30:00+08:00' },
    });
    expect(resolved.status).toBe(200);
    const csv = await (await bob.request('GET', '/api/stop-payments?format=csv')).text();
    const json = await bob.json('GET', '/api/stop-payments');
    for (const text of [csv, JSON.stringify(json.body)]) {
      expect(text).toContain('6222020200112233445');
      expect(fullNumber(PHONE).test(text)).toBe(false);
      expect(/139\D{0,3}0013\D{0,3}9082/.test(text)).toBe(false);
    }
    expect(json.body.stopPayments[0].note).toBe('家属电话 +86139****9082，银行已受理');
  });
});
