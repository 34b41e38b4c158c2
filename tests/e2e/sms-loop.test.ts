// The walking skeleton end to end: a warning comes in, a warning SMS goes out through the real twilio
// library to the local phone network, the citizen replies, the reply is classified, and an at-risk
// reply puts the case on the desk.
import path from 'node:path';
import { startStack, eventually, type Stack } from '../support/stack';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');

describe('SMS loop: warning → SMS → reply → handoff', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { POLICY_FILE: POLICY } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('warns by SMS, and an already-paid reply reaches the desk with its classification', async () => {
    const warning = { source: 'province-centre', externalId: 'E2E-SMS-1', phone: '+8613800138000', name: '王某', scamType: 'pig_butchering', riskLevel: 'medium', amount: 8000 };
    const accepted = await stack.api('POST', '/api/warnings', 'intake', warning);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ status: 'accepted', accepted: 1 });
    const caseId = accepted.body.caseId as string;

    const sms = await stack.network.control.waitForSms('+8613800138000', { timeoutMs: 15000 });
    expect(sms.body).toContain(accepted.body.caseRef);
    expect(sms.body).not.toMatch(/https?:\/\/|www\./);

    // The same warning again: duplicate, and no second SMS.
    const again = await stack.api('POST', '/api/warnings', 'intake', warning);
    expect(again.body).toMatchObject({ status: 'duplicate', caseId });

    await stack.network.control.sendSms('+8613800138000', '我已经转了两万了，刚才用支付宝转的');
    const handoffs = await eventually(async () => {
      const r = await stack.api('GET', '/api/handoffs?status=open', 'desk');
      return r.body.handoffs?.find((h: { caseId: string }) => h.caseId === caseId) ? r.body.handoffs : undefined;
    }, 'a handoff for the case');
    expect(handoffs.find((h: { caseId: string }) => h.caseId === caseId)).toMatchObject({ reason: 'already_paid', priority: 100 });

    const view = await stack.api('GET', `/api/cases/${caseId}`, 'desk');
    const inbound = view.body.transcript.filter((m: { direction: string }) => m.direction === 'in');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ intent: 'already_paid', atRisk: true });
    expect(inbound[0].classification.payment.amounts).toContain(20000);
    const outbound = view.body.transcript.filter((m: { direction: string }) => m.direction === 'out');
    expect(outbound[0]).toMatchObject({ flowId: 'pig_butchering', flowVersion: expect.any(Number), stateId: expect.any(String) });

    // The duplicate warning sent nothing: the warning text reached the citizen exactly once.
    const toCitizen = (await stack.network.control.inbox('+8613800138000')).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen');
    expect(toCitizen.filter((i) => i.text.includes(accepted.body.caseRef))).toHaveLength(1);
  });

  it('answers 403 to a forged Twilio webhook and stores nothing', async () => {
    const res = await fetch(`${stack.appUrl}/webhooks/twilio/sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'forged' },
      body: new URLSearchParams({ MessageSid: `SM${'a'.repeat(32)}`, From: '+8613800138000', Body: '我被骗了' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ error: 'invalid_signature', message: 'X-Twilio-Signature does not match this request' });
  });
});
