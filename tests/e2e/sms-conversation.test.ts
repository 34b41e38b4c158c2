// An SMS conversation over several turns, STOP (recorded, and the at-risk person goes to a human instead
// of falling silent) and START; "YES" is an answer, not an opt-in, for someone who never opted out.
import { startE2E, warn, caseView, caseRow, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

describe('SMS: a conversation, STOP and START', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('walks the flow by SMS; STOP opts out and hands off; START opts back in and replies flow again', async () => {
    const phone = '+8613900139031';
    const net = e.stack.network.control;
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'medium' });
    const first = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(first.body).toContain(caseRef);
    expect(first.body).toContain('96110');
    expect(first.body).not.toMatch(/https?:\/\/|www\./);

    await net.sendSms(phone, '没有，我没转过钱');
    const second = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(second.body).toContain('现在还有人让您转账');

    await net.sendSms(phone, 'STOP');
    await waitAudit(e.stack, caseId, 'sms_opt_out');
    const h = await waitHandoff(e.stack, caseId, 'opted_out');
    expect(h.status).toBe('open');
    let row = await caseRow(e, caseId);
    expect(row.opted_out).toBe(1);
    expect(row.next_action).toBeNull();

    await net.sendSms(phone, 'START');
    await waitAudit(e.stack, caseId, 'sms_opt_in');
    row = await caseRow(e, caseId);
    expect(row.opted_out).toBe(0);

    await net.sendSms(phone, '对方还在催我转钱，说今天必须交保证金');
    const raised = await waitHandoff(e.stack, caseId, 'mid_scam');
    expect(raised.priority).toBeGreaterThan(h.priority);
    const view = await caseView(e.stack, caseId);
    const inbound = view.transcript.filter((m: { direction: string }) => m.direction === 'in').map((m: { body: string; intent: string }) => [m.body, m.intent]);
    // Keywords are not conversation turns; the two replies are.
    expect(inbound).toEqual([
      ['没有，我没转过钱', expect.any(String)],
      ['对方还在催我转钱，说今天必须交保证金', 'mid_scam'],
    ]);
    // Our messages to the citizen: the warning, one reply before STOP, and the reply after the at-risk answer.
    await eventually(async () => (await net.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen' && !i.text.startsWith('You have successfully')).length >= 3, 'the reply after START');
  });

  it('treats "YES" from someone who never opted out as a reply to the flow, not as an opt-in', async () => {
    const phone = '+14155550132';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium', locale: 'en' });
    const first = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(first.body).toContain('have you transferred any money');
    await net.sendSms(phone, 'YES');
    // The flow answers it (Twilio's own keyword auto-reply may come as well).
    const view = await eventually(async () => {
      const v = await caseView(e.stack, caseId);
      return v.transcript.filter((m: { direction: string }) => m.direction === 'out').length >= 2 ? v : undefined;
    }, 'the flow to answer YES');
    expect(view.transcript.filter((m: { direction: string }) => m.direction === 'in').map((m: { body: string }) => m.body)).toEqual(['YES']);
    expect(view.audit.some((a: { action: string }) => a.action === 'sms_opt_in')).toBe(false);
  });
});
