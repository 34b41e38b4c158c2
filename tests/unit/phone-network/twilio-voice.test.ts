import { ACCOUNT_SID, APP_NUMBER, CITIZEN, startWorld, type World } from './setup';

let w: World;
beforeEach(async () => {
  w = await startWorld({ ringMs: 150 });
});
afterEach(() => w.close());

const WARNING_TWIML = `<?xml version="1.0" encoding="UTF-8"?>
<Response>
  <Say language="zh-CN" voice="Polly.Zhiyu-Neural">您好，这里是市反诈中心。</Say>
  <Gather input="speech dtmf" language="cmn-Hans-CN" hints="转账,没有" speechTimeout="auto" action="/webhooks/twilio/gather?step=1" timeout="4">
    <Say language="zh-CN" voice="Polly.Zhiyu-Neural">请问您是否已经转账？</Say>
  </Gather>
  <Say language="zh-CN">我们没有听到您的回答。再见。</Say>
</Response>`;

async function callCitizen(extra: Record<string, unknown> = {}) {
  return w.twilioClient.calls.create({
    to: CITIZEN,
    from: APP_NUMBER,
    url: `${w.app.url}/webhooks/twilio/voice/outbound`,
    statusCallback: `${w.app.url}/webhooks/twilio/call-status`,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    ...extra,
  });
}

function statuses(): string[] {
  return w.app.received.filter((r) => r.path === '/webhooks/twilio/call-status').map((r) => r.params.CallStatus);
}

describe('Twilio Calls through the real twilio client', () => {
  it('answered by a person: fetches the Url, says the lines, gathers speech and posts it to the action', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', WARNING_TWIML);
    w.app.on('/webhooks/twilio/gather', '<Response><Say language="zh-CN">好的，请不要再转账。</Say><Hangup/></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });

    const call = await callCitizen({ machineDetection: 'Enable' });
    expect(call.sid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(call.status).toBe('queued');

    const prompt = await w.network.control.waitForGather(call.sid);
    expect(prompt).toMatchObject({
      input: ['speech', 'dtmf'],
      language: 'cmn-Hans-CN',
      hints: '转账,没有',
      prompt: ['您好，这里是市反诈中心。', '请问您是否已经转账？'],
      warnings: [],
    });
    const fetched = w.app.received.find((r) => r.path === '/webhooks/twilio/voice/outbound');
    expect(fetched?.signatureValid).toBe(true);
    expect(fetched?.params).toMatchObject({ CallSid: call.sid, AccountSid: ACCOUNT_SID, From: APP_NUMBER, To: CITIZEN, CallStatus: 'in-progress', Direction: 'outbound-api', AnsweredBy: 'human' });

    await w.network.control.answerGather(call.sid, { speech: '我已经转了八千', confidence: 0.87 });
    const ended = await w.network.control.waitForCallEnd(call.sid);

    const action = w.app.received.find((r) => r.path === '/webhooks/twilio/gather');
    expect(action?.signatureValid).toBe(true);
    expect(action?.params).toMatchObject({ SpeechResult: '我已经转了八千', Confidence: '0.87', CallSid: call.sid, From: APP_NUMBER, To: CITIZEN, CallStatus: 'in-progress' });
    expect(ended.status).toBe('completed');
    expect(ended.transcript.filter((e) => e.kind === 'say').map((e) => (e.kind === 'say' ? [e.text, e.language, e.voice] : []))).toEqual([
      ['您好，这里是市反诈中心。', 'zh-CN', 'Polly.Zhiyu-Neural'],
      ['请问您是否已经转账？', 'zh-CN', 'Polly.Zhiyu-Neural'],
      ['好的，请不要再转账。', 'zh-CN', null],
    ]);
    await w.network.control.waitForCallback({ ref: call.sid, status: 'completed' });
    expect(statuses()).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
    const completed = w.app.received.filter((r) => r.path === '/webhooks/twilio/call-status').pop();
    expect(completed?.params).toMatchObject({ CallDuration: expect.stringMatching(/^\d+$/), AnsweredBy: 'human', SequenceNumber: '3' });
  });

  it('digits go to the action as Digits, without the finishOnKey', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', '<Response><Gather numDigits="1" action="/webhooks/twilio/gather"><Say>Press 0 for an officer.</Say></Gather></Response>');
    w.app.on('/webhooks/twilio/gather', '<Response><Dial><Number>+8657100000110</Number></Dial></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    await w.network.control.waitForGather(call.sid);
    await w.network.control.answerGather(call.sid, { digits: '0#' });
    await w.network.control.waitForCallback({ ref: call.sid, kind: 'gather-action' });
    const action = w.app.received.find((r) => r.path === '/webhooks/twilio/gather');
    expect(action?.params).toMatchObject({ Digits: '0', FinishedOnKey: '#' });
    expect(action?.params.SpeechResult).toBeUndefined();
  });

  it('<Dial> connects the citizen to the desk until the desk hangs up', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', '<Response><Say>Connecting you.</Say><Dial action="/dial-done"><Number>+8657100000110</Number></Dial></Response>');
    w.app.on('/dial-done', '<Response><Say>The officer has ended the call.</Say></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    await w.network.state.waitUntil(() => w.network.state.call(call.sid)?.connectedTo ?? undefined, 2000, 'connected', () => '');
    expect((await w.network.control.call(call.sid)).connectedTo).toBe('+8657100000110');
    await w.network.control.endDial(call.sid);
    const ended = await w.network.control.waitForCallEnd(call.sid);
    expect(ended.dialed).toEqual([expect.objectContaining({ number: '+8657100000110', status: 'completed' })]);
    expect(w.app.received.find((r) => r.path === '/dial-done')?.params).toMatchObject({ DialCallStatus: 'completed' });
  });

  it('a Gather with no input falls through to the next verb, as Twilio does', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', WARNING_TWIML);
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    await w.network.control.waitForGather(call.sid);
    await w.network.control.silence(call.sid);
    const ended = await w.network.control.waitForCallEnd(call.sid);
    const says = ended.transcript.filter((e) => e.kind === 'say');
    expect(says[says.length - 1]).toMatchObject({ text: '我们没有听到您的回答。再见。' });
    expect(w.app.received.some((r) => r.path === '/webhooks/twilio/gather')).toBe(false);
  });

  it('warns 13512 and recognises no speech when the Gather language is zh-CN', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', '<Response><Gather input="speech" language="zh-CN" action="/g" actionOnEmptyResult="true"><Say>?</Say></Gather></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    const prompt = await w.network.control.waitForGather(call.sid);
    expect(prompt.warnings.map((x) => x.code)).toEqual([13512]);
    await w.network.control.answerGather(call.sid, { speech: '没有' });
    await w.network.control.waitForCallEnd(call.sid);
    const action = w.app.received.find((r) => r.path === '/g');
    expect(action?.params.SpeechResult).toBeUndefined();
  });

  it('no answer: rings for ringMs then reports no-answer', async () => {
    await w.network.control.setBehaviour(CITIZEN, { call: 'no-answer' });
    const call = await callCitizen();
    const ended = await w.network.control.waitForCallEnd(call.sid);
    expect(ended.status).toBe('no-answer');
    await w.network.control.waitForCallback({ ref: call.sid, status: 'no-answer' });
    expect(statuses()).toEqual(['initiated', 'ringing', 'no-answer']);
    expect(w.app.received.some((r) => r.path === '/webhooks/twilio/voice/outbound')).toBe(false);
  });

  it('busy: the final callback says busy and the Url is never fetched', async () => {
    await w.network.control.setBehaviour(CITIZEN, { call: 'busy' });
    const call = await callCitizen();
    await w.network.control.waitForCallback({ ref: call.sid, status: 'busy' });
    expect(statuses()).toEqual(['initiated', 'busy']);
  });

  it('a manual phone rings until the citizen rejects it: Twilio reports busy', async () => {
    const call = await callCitizen();
    const ringing = await w.network.control.waitForCall(CITIZEN);
    expect(ringing).toMatchObject({ sid: call.sid, status: 'ringing' });
    await w.network.control.rejectCall(call.sid);
    expect((await w.network.control.waitForCallEnd(call.sid)).status).toBe('busy');
  });

  it('voicemail with MachineDetection=DetectMessageEnd: AnsweredBy=machine_end_beep and the message is left', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', (r) =>
      r.params.AnsweredBy?.startsWith('machine')
        ? '<Response><Say language="zh-CN">这里是市反诈中心，请回电 96110。</Say><Hangup/></Response>'
        : WARNING_TWIML,
    );
    await w.network.control.setBehaviour(CITIZEN, { call: 'voicemail' });
    const call = await callCitizen({ machineDetection: 'DetectMessageEnd' });
    const ended = await w.network.control.waitForCallEnd(call.sid);
    expect(ended).toMatchObject({ status: 'completed', answeredBy: 'machine_end_beep', voicemail: ['这里是市反诈中心，请回电 96110。'] });
    const inbox = await w.network.control.inbox(CITIZEN);
    expect(inbox).toEqual([expect.objectContaining({ channel: 'voicemail', text: '这里是市反诈中心，请回电 96110。' })]);
    await w.network.control.waitForCallback({ ref: call.sid, status: 'completed' });
    expect(w.app.received.filter((r) => r.path === '/webhooks/twilio/call-status').pop()?.params.AnsweredBy).toBe('machine_end_beep');
  });

  it('an app error on the Url (500) makes Twilio say the application error line and hang up', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', () => ({ status: 500 }));
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    const ended = await w.network.control.waitForCallEnd(call.sid);
    expect(ended.errors[0]).toMatchObject({ code: 11200 });
    expect(ended.transcript.find((e) => e.kind === 'say')).toMatchObject({ text: 'We are sorry, an application error has occurred. Goodbye.' });
  });

  it('Twiml instead of Url runs inline (desk calls)', async () => {
    const desk = '+8657100000110';
    await w.network.control.setBehaviour(desk, { call: 'answer' });
    const call = await w.twilioClient.calls.create({ to: desk, from: APP_NUMBER, twiml: '<Response><Say>Case QZ-1 needs you.</Say></Response>' });
    const ended = await w.network.control.waitForCallEnd(call.sid);
    expect(ended.transcript.find((e) => e.kind === 'say')).toMatchObject({ text: 'Case QZ-1 needs you.' });
  });

  it('the app can hang up a live call through the API', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', WARNING_TWIML);
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    await w.network.control.waitForGather(call.sid);
    const updated = await w.twilioClient.calls(call.sid).update({ status: 'completed' });
    expect(updated.sid).toBe(call.sid);
    expect((await w.network.control.waitForCallEnd(call.sid)).status).toBe('completed');
  });

  it("a citizen's call reaches the voice webhook as inbound, ringing, and continues with the TwiML", async () => {
    w.app.on('/webhooks/twilio/voice', '<Response><Gather input="speech" language="cmn-Hans-CN" action="/webhooks/twilio/gather"><Say language="zh-CN">请讲。</Say></Gather></Response>');
    w.app.on('/webhooks/twilio/gather', '<Response><Say language="zh-CN">谢谢。</Say></Response>');
    const call = await w.network.control.placeCall(CITIZEN);
    const prompt = await w.network.control.waitForGather(call.sid);
    expect(prompt.prompt).toEqual(['请讲。']);
    const incoming = w.app.received.find((r) => r.path === '/webhooks/twilio/voice');
    expect(incoming?.signatureValid).toBe(true);
    expect(incoming?.params).toMatchObject({ Direction: 'inbound', CallStatus: 'ringing', From: CITIZEN, To: APP_NUMBER });
    await w.network.control.answerGather(call.sid, { speech: '我想找警察' });
    expect((await w.network.control.waitForCallEnd(call.sid)).status).toBe('completed');
    expect(w.app.received.find((r) => r.path === '/webhooks/twilio/gather')?.params).toMatchObject({ SpeechResult: '我想找警察', Direction: 'inbound' });
  });

  it('refuses an invalid To with 21211 and answers 500 once when a fault is injected', async () => {
    await expect(w.twilioClient.calls.create({ to: '12', from: APP_NUMBER, url: `${w.app.url}/x` })).rejects.toMatchObject({ status: 400, code: 21211 });
    await w.network.control.injectFault({ target: 'twilio', kind: 500, pathContains: 'Calls' });
    await expect(callCitizen()).rejects.toMatchObject({ status: 500 });
  });

  it('waitForGather fails with the transcript when the call ends without a Gather', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', '<Response><Say>Goodbye.</Say></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await callCitizen();
    await expect(w.network.control.waitForGather(call.sid)).rejects.toThrow(
      `waitForGather(${call.sid}): the call ended (completed) without waiting at a <Gather>. Transcript: said "Goodbye." | hangup`,
    );
  });
});
