// A warning call answered by a person who speaks: the TwiML (read as XML), the spoken reply classified,
// an at-risk answer put on the desk; key 0 dials the desk's number.
import { findAll, parseXml, startE2E, warn, caseView, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

const DESK = '+8657188880000';

describe('voice: a call answered by speech', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ ringMs: 20_000, env: { TWILIO_DESK_NUMBER: DESK, TWILIO_VOICE_ZH: 'Polly.Zhiyu' } });
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('speaks Mandarin with the configured voice, gathers speech and keys, and an already-paid answer reaches the desk', async () => {
    const phone = '+8613900139001';
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    expect(call.machineDetection).toBe('Enable');
    await net.answerCall(call.sid);
    const gather = await net.waitForGather(call.sid);
    expect(gather.warnings).toEqual([]);

    const answered = await net.waitForCallback({ ref: call.sid, kind: 'voice-url' });
    expect(answered.status).toBe(200);
    const twiml = parseXml(answered.responseBody);
    expect(twiml.name).toBe('Response');
    const [g] = findAll(twiml, 'Gather');
    expect(g!.attrs).toMatchObject({ input: 'speech dtmf', language: 'cmn-Hans-CN', speechTimeout: 'auto', method: 'POST' });
    expect(g!.attrs.hints).toContain('已经转了');
    expect(g!.attrs.action).toBe(`${e.stack.appUrl}/webhooks/twilio/voice/gather?caseId=${caseId}&turn=0`);
    const says = findAll(g!, 'Say');
    expect(says.length).toBeGreaterThan(0);
    for (const s of says) expect(s.attrs).toMatchObject({ language: 'zh-CN', voice: 'Polly.Zhiyu' });
    expect(says[0]!.text).toContain(caseRef);
    expect(says.map((s) => s.text).join('')).toContain('找民警，请按0。');

    await net.answerGather(call.sid, { speech: '我已经转了两万了', confidence: 0.87 });
    const h = await waitHandoff(e.stack, caseId, 'already_paid');
    expect(h).toMatchObject({ priority: 100, status: 'open' });
    const view = await caseView(e.stack, caseId);
    const inbound = view.transcript.filter((m: { direction: string }) => m.direction === 'in');
    expect(inbound).toHaveLength(1);
    expect(inbound[0]).toMatchObject({ channel: 'voice', body: '我已经转了两万了', intent: 'already_paid', atRisk: true });
    expect(inbound[0].classification).toMatchObject({ asrConfidence: 0.87 });
    expect(inbound[0].classification.payment.amounts).toContain(20000);
    // The call goes on: the flow asks about the payment.
    const next = await net.waitForGather(call.sid);
    expect(next.action).toContain('turn=1');
    // Recording is off unless the policy turns it on: no recording, no notice.
    expect(await net.recordings(call.sid)).toEqual([]);
    expect(gather.prompt[0]).toContain(caseRef);
  });

  it('a person still in the scam is connected to the desk, not hung up on', async () => {
    const phone = '+8613900139004';
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { speech: '对方还在让我转账，说今天必须交保证金', confidence: 0.9 });
    const reply = await net.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    const twiml = parseXml(reply.responseBody);
    const verbs = twiml.children.map((n) => n.name);
    const dial = findAll(twiml, 'Dial');
    expect(dial).toHaveLength(1);
    expect(dial[0]!.text).toBe(DESK);
    // Never hung up before the desk: only if nobody there picks up does the call end (with a call-back promised).
    expect(verbs.indexOf('Hangup') === -1 || verbs.indexOf('Hangup') > verbs.indexOf('Dial')).toBe(true);
    // What to do meanwhile is said before the transfer.
    expect(findAll(twiml, 'Say').map((x) => x.text).join('')).toContain('停止转账');
    const connected = await eventually(async () => (await net.call(call.sid)).connectedTo, 'the call to reach the desk');
    expect(connected).toBe(DESK);
    // The desk sees who is calling in, at the top of the queue.
    expect(await waitHandoff(e.stack, caseId, 'mid_scam')).toMatchObject({ status: 'open', priority: 100 });
  });

  it('key 0 connects the citizen to the desk number', async () => {
    const phone = '+8613900139002';
    await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    await net.waitForGather(call.sid);
    await net.answerGather(call.sid, { digits: '0' });
    const reply = await net.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    const dial = findAll(parseXml(reply.responseBody), 'Dial');
    expect(dial).toHaveLength(1);
    expect(dial[0]!.text).toBe(DESK);
    const connected = await eventually(async () => (await net.call(call.sid)).connectedTo, 'the call to reach the desk');
    expect(connected).toBe(DESK);
  });
});
