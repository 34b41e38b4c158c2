// No desk number configured: no <Dial>; the citizen hears that an officer will call back, the call ends,
// and the case waits on the desk at the top of the queue with a call-back deadline.
import { findAll, parseXml, startE2E, warn, waitHandoff, type E2E } from './helpers';
import { HANDOFF_PRIORITIES } from '../../flows/engine/vocabulary';

describe('voice: key 0 without a desk number', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ ringMs: 20_000 });
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
    expect(h.priority).toBe(HANDOFF_PRIORITIES.already_paid);
  });

  it('a person still in the scam gets a clear promise and a top-priority handoff with a call-back deadline', async () => {
    const phone = '+8613900139005';
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { speech: '对方还在让我转账，说今天必须交保证金', confidence: 0.9 });
    const reply = await net.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    const said = findAll(parseXml(reply.responseBody), 'Say').map((s) => s.text).join('');
    expect(said).toContain('民警马上会用96110联系您');
    const h = await waitHandoff(e.stack, caseId, 'mid_scam');
    expect(h).toMatchObject({ status: 'open', priority: HANDOFF_PRIORITIES.already_paid });
    // The call-back is due within minutes of the promise.
    expect(Date.parse(h.sla_due_at) - Date.parse(h.created_at)).toBeLessThanOrEqual(5 * 60_000);
  });
});
