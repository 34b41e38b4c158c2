// Every warning is triaged again (the centre's second review, 二次研判): a person warned a third time,
// now at high risk with ¥300,000 at stake, gets a second look by a human, a call at once though a text
// already went out, and a police-station visit proposed. An unknown scam type is worked as `other`.
import { startE2E, warn, caseView, waitAudit, waitHandoff, type E2E } from './helpers';

describe('re-triage on every warning', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('a third warning that raises the risk to high opens a review, calls now and proposes a visit', async () => {
    const phone = '+8613900139131';
    const net = e.stack.network.control;
    const first = await warn(e.stack, { phone, riskLevel: 'medium', amount: 8000 });
    // Medium risk: the written warning goes first, no call yet.
    await net.waitForSms(phone, { timeoutMs: 15_000 });
    expect(await net.calls(phone)).toEqual([]);

    const second = await warn(e.stack, { phone, riskLevel: 'medium', amount: 8000 });
    expect(second.caseId).toBe(first.caseId);
    const third = await warn(e.stack, { phone, riskLevel: 'high', amount: 300_000 });
    expect(third.caseId).toBe(first.caseId);

    const call = await net.waitForCall(phone, { timeoutMs: 15_000 });
    expect(call.to).toBe(phone);
    const review = await waitHandoff(e.stack, first.caseId, 'review');
    expect(review.note).toMatch(/repeat_warnings/);
    expect(review.note).toMatch(/large_amount/);
    const visit = await waitAudit(e.stack, first.caseId, 'visit_requested');
    expect(visit[0].detail.reasons).toEqual(expect.arrayContaining(['very_large_amount', 'high_risk_repeat']));
    const view = await caseView(e.stack, first.caseId);
    expect(view.case).toMatchObject({ riskLevel: 'high', warningCount: 3, amount: 300_000 });
    // One live contact at a time: one text, then one call.
    expect(view.attempts.map((a: { channel: string }) => a.channel)).toEqual(['sms', 'voice']);
  });

  it('works a warning of an unknown scam type as `other` and keeps the upstream label', async () => {
    const phone = '+8613900139132';
    const r = await e.stack.api('POST', '/api/warnings', 'intake', { source: 'e2e', externalId: `romance-${Date.now()}`, phone, scamType: 'romance', riskLevel: 'medium' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ status: 'accepted', accepted: 1 });
    await e.stack.network.control.waitForSms(phone, { timeoutMs: 15_000 });
    const view = await caseView(e.stack, r.body.caseId);
    expect(view.case.scamType).toBe('other');
    expect(view.warnings).toEqual([expect.objectContaining({ scam_type: 'other', upstream_scam_type: 'romance' })]);
  });
});
