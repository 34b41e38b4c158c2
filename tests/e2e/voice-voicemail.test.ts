// A warning call picked up by an answering machine: a short message on the voicemail, then an SMS.
import { findAll, parseXml, startE2E, warn, caseView, waitAudit, type E2E } from './helpers';

describe('voice: voicemail', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('leaves a short message (no questions) and follows up by SMS with the case reference', async () => {
    const phone = '+8613900139011';
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    await net.setBehaviour(phone, { call: 'voicemail' });
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    const ended = await net.waitForCallEnd(call.sid, { timeoutMs: 10000 });
    expect(ended.answeredBy).toMatch(/^machine/);

    const answered = await net.waitForCallback({ ref: call.sid, kind: 'voice-url' });
    const twiml = parseXml(answered.responseBody);
    expect(findAll(twiml, 'Gather')).toHaveLength(0);
    expect(findAll(twiml, 'Hangup')).toHaveLength(1);
    const says = findAll(twiml, 'Say');
    expect(says).toHaveLength(1);
    expect(says[0]!.attrs.language).toBe('zh-CN');
    expect(says[0]!.text).toContain(caseRef);
    expect(says[0]!.text).toContain('96110');
    expect(says[0]!.text.length).toBeLessThan(120);
    expect((await net.inbox(phone)).filter((i) => i.channel === 'voicemail')).toHaveLength(1);

    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(sms.body).toContain(caseRef);
    expect(sms.body).not.toMatch(/https?:\/\/|www\./);
    await waitAudit(e.stack, caseId, 'voicemail');
    const view = await caseView(e.stack, caseId);
    expect(view.attempts.map((a: { channel: string }) => a.channel)).toEqual(['voice', 'sms']);
    // Exactly one follow-up, not one per status callback.
    const toCitizen = (await net.inbox(phone)).filter((i) => i.channel === 'sms' && i.direction === 'to-citizen');
    expect(toCitizen).toHaveLength(1);
  });
});
