// Key 0 with no desk number configured: no <Dial>; the citizen hears that an officer will call back,
// the call ends, and the case waits on the desk as request_human.
import { findAll, parseXml, startE2E, warn, waitHandoff, type E2E } from './helpers';

describe('voice: key 0 without a desk number', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('promises a call back, hangs up and hands off as request_human', async () => {
    const phone = '+8613900139003';
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { digits: '0' });
    const reply = await net.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    const twiml = parseXml(reply.responseBody);
    expect(findAll(twiml, 'Dial')).toHaveLength(0);
    expect(findAll(twiml, 'Gather')).toHaveLength(0);
    expect(findAll(twiml, 'Hangup')).toHaveLength(1);
    const said = findAll(twiml, 'Say').map((s) => s.text).join('');
    expect(said).toContain('马上请民警联系您');
    const ended = await net.waitForCallEnd(call.sid);
    expect(ended.status).toBe('completed');
    expect(ended.connectedTo).toBeNull();
    const h = await waitHandoff(e.stack, caseId, 'request_human');
    expect(h.status).toBe('open');
  });
});
