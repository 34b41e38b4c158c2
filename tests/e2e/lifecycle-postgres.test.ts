// The case's life on PostgreSQL (the engine a province runs), end to end: every warning re-triaged, a send
// answered by a 502 after Twilio carried it out confirmed instead of repeated, escalation for someone who does
// not pick up, and a citizen back after close on their own case.
import { startE2E, warn, caseView, caseRow, advance, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';
import { postgresDatabase } from '../support/databases';
import { faultFigures } from '../faults/reconcile';

jest.setTimeout(90_000);

describe('the lifecycle on PostgreSQL', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ db: postgresDatabase() });
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('a third warning raising the risk to high opens a review, calls now and requests a visit', async () => {
    const phone = '+8613900139141';
    const net = e.stack.network.control;
    const first = await warn(e.stack, { phone, riskLevel: 'medium' });
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    await warn(e.stack, { phone, riskLevel: 'medium' });
    await warn(e.stack, { phone, riskLevel: 'high', amount: 300_000 });
    await net.waitForCall(phone, { timeoutMs: 15_000 });
    expect((await waitHandoff(e.stack, first.caseId, 'review')).note).toMatch(/repeat_warnings/);
    await waitAudit(e.stack, first.caseId, 'visit_requested');
  });

  it('a warning SMS answered by a 502 after Twilio sent it is confirmed, not sent again', async () => {
    const phone = '+8613900139142';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { apiFault: { kind: 'accepted-502', count: 1 } });
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium' });
    const sms = await net.waitForSms(phone, { timeoutMs: 15_000 });
    const view = await eventually(async () => {
      const v = await caseView(e.stack, caseId);
      return v.attempts[0]?.provider_id ? v : undefined;
    }, 'the attempt confirmed');
    expect(view.attempts[0].provider_id).toBe(sms.sid);
    await new Promise((r) => setTimeout(r, 3000)); // past the confirmation wait: nothing is sent again
    expect(e.stack.network.state.messages.filter((m) => m.to === phone)).toHaveLength(1);
    const ids = view.warnings.map((w: { external_id: string }) => w.external_id);
    expect(await faultFigures(e.store.db, e.stack.network, ids, 1)).toMatchObject({ duplicated: 0, lost: 0 });
  });

  it('unanswered at high risk: the written warning at once, the next call, a relative, then an officer', async () => {
    const phone = '+8613900139143';
    const relative = '+8613900139149';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'busy' });
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high', relatives: [{ phone: relative, relation: '父亲' }] });
    await net.waitForCall(phone, { timeoutMs: 15_000 });
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    await advance(e, caseId);
    await eventually(async () => (await net.calls(phone)).length === 2 || undefined, 'a second call');
    await net.waitForSms(relative, { timeoutMs: 15_000 });
    await advance(e, caseId);
    expect((await waitHandoff(e.stack, caseId, 'unreachable')).priority).toBe(60);
    expect((await caseRow(e, caseId)).next_action).toBeNull();
  });

  it('a citizen whose case was resolved writes again: their own case reopens', async () => {
    const phone = '+8613900139144';
    const net = e.stack.network.control;
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'medium' });
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    await net.sendSms(phone, '我要找民警');
    const h = await waitHandoff(e.stack, caseId, 'request_human');
    expect((await e.stack.api('POST', `/api/desk/handoffs/${h.id}/claim`, 'desk')).status).toBe(200);
    expect((await e.stack.api('POST', `/api/desk/handoffs/${h.id}/resolve`, 'desk', { outcome: 'dissuaded' })).status).toBe(200);
    expect((await caseRow(e, caseId)).status).toBe('closed');
    await net.waitForSms(phone, { timeoutMs: 10_000 }); // the answer to "我要找民警"
    await net.sendSms(phone, '你好，又有人联系我了');
    const answer = await net.waitForSms(phone, { timeoutMs: 10_000 });
    expect(answer.body).toContain(caseRef);
    expect((await e.store.db.selectFrom('cases').select(['id', 'status']).where('phone', '=', phone).execute())).toEqual([{ id: caseId, status: 'open' }]);
  });
});
