// Provider failures: transient ones (500, 429, a request that never answers) are retried by the outbox relay
// (after confirming with Twilio that nothing went out) and the citizen still gets exactly one message;
// permanent ones (21211 invalid number, 21610 unsubscribed) end that channel, start the next rung, and
// leave the provider's code on the case's timeline.
import { startE2E, warn, caseView, waitAudit, type E2E } from './helpers';
import { eventually } from '../support/stack';
import type { FaultKind } from '../../tools/phone-network/types';

describe('provider failures', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const messagesTo = async (phone: string) => (await e.stack.network.control.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen');

  it.each<[FaultKind, string]>([
    [500, '+8613900139071'],
    [429, '+8613900139072'],
    ['timeout', '+8613900139073'],
  ])('a warning SMS refused with %s is retried and arrives once', async (kind, phone) => {
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { apiFault: { kind, count: 1 } });
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'medium' });
    const sms = await net.waitForSms(phone, { timeoutMs: 30000 });
    expect(sms.body).toContain(caseRef);
    const failed = await waitAudit(e.stack, caseId, 'contact_failed');
    expect(failed[0].detail).toMatchObject({ channel: 'sms', permanent: false });
    // Settle: the attempt that went through is the only one left, and it is the first.
    const view = await eventually(async () => {
      const v = await caseView(e.stack, caseId);
      return v.attempts.length === 1 && v.attempts[0].provider_id ? v : undefined;
    }, 'one attempt with a provider id');
    expect(view.attempts[0]).toMatchObject({ channel: 'sms', attempt_no: 1 });
    expect(await messagesTo(phone)).toHaveLength(1);
  }, 40000);

  it('a reply refused with 503 is retried by the delivery queue and arrives once', async () => {
    const phone = '+8613900139074';
    const net = e.stack.network.control;
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium' });
    await net.waitForSms(phone, { timeoutMs: 15000 });
    await net.setBehaviour(phone, { apiFault: { kind: 503, count: 2 } });
    await net.sendSms(phone, '没有，我没转过钱');
    const reply = await net.waitForSms(phone, { timeoutMs: 30000 });
    expect(reply.body).toContain('现在还有人让您转账');
    const failures = await waitAudit(e.stack, caseId, 'delivery_failed', 2);
    expect(failures.map((f) => f.detail)).toEqual([expect.objectContaining({ code: '20503', permanent: false }), expect.objectContaining({ code: '20503', permanent: false })]);
    expect(await messagesTo(phone)).toHaveLength(2);
  }, 40000);

  it('an invalid number (21211) ends the voice channel and the warning goes by SMS', async () => {
    const phone = '+8613900139075';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { apiError: { code: 21211, for: 'call' } });
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high' });
    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(sms.body).toContain(caseRef);
    expect(await net.calls(phone)).toHaveLength(0);
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.map((a: { channel: string; status: string; error_code: string | null }) => [a.channel, a.status, a.error_code])).toEqual([
      ['voice', 'failed', '21211'],
      ['sms', expect.any(String), null],
    ]);
    expect(view.audit.find((a: { action: string }) => a.action === 'contact_failed').detail).toMatchObject({ channel: 'voice', code: '21211', permanent: true });
    expect(view.audit.filter((a: { action: string }) => a.action === 'rung_started').map((a: { detail: unknown }) => a.detail)).toEqual([
      expect.objectContaining({ rung: 1, contacts: ['voice'] }),
      expect.objectContaining({ rung: 2, contacts: ['sms'] }),
    ]);
  });

  it('an unsubscribed number (21610) ends the SMS channel and the person is called instead', async () => {
    const phone = '+8613900139076';
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { apiError: { code: 21610, for: 'sms' } });
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'medium' });
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    expect(call.to).toBe(phone);
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.map((a: { channel: string; status: string; error_code: string | null }) => [a.channel, a.status, a.error_code])).toEqual([
      ['sms', 'failed', '21610'],
      ['voice', expect.any(String), null],
    ]);
    expect(view.audit.find((a: { action: string }) => a.action === 'contact_failed').detail).toMatchObject({ channel: 'sms', code: '21610', permanent: true });
    expect(await messagesTo(phone)).toHaveLength(0);
  });
});
