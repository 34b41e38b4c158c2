// The same PhoneControl over HTTP, as a test in another process or the citizen page uses it.
import { HttpPhoneControl } from '../../../tools/phone-network/control';
import { APP_NUMBER, CITIZEN, startWorld, type World } from './setup';

let w: World;
let remote: HttpPhoneControl;
beforeEach(async () => {
  w = await startWorld();
  remote = new HttpPhoneControl(w.network.url);
});
afterEach(() => w.close());

it('drives a whole call over HTTP: behaviour, wait for the call, answer the Gather', async () => {
  w.app.on('/voice', '<Response><Gather input="speech" language="cmn-Hans-CN" action="/g"><Say>您好</Say></Gather></Response>');
  await remote.setBehaviour(CITIZEN, { call: 'answer' });
  expect(await remote.behaviour(CITIZEN)).toEqual({ call: 'answer' });
  const call = await w.twilioClient.calls.create({ to: CITIZEN, from: APP_NUMBER, url: `${w.app.url}/voice` });
  expect((await remote.waitForCall(CITIZEN)).sid).toBe(call.sid);
  expect((await remote.waitForGather(call.sid)).prompt).toEqual(['您好']);
  await remote.answerGather(call.sid, { speech: '没有转账', confidence: 0.95 });
  expect((await remote.waitForCallEnd(call.sid)).status).toBe('completed');
  expect(w.app.received.find((r) => r.path === '/g')?.params).toMatchObject({ SpeechResult: '没有转账', Confidence: '0.95' });
});

it('a wait that times out says what did arrive', async () => {
  await w.twilioClient.messages.create({ to: '+8613900139000', from: APP_NUMBER, body: '给别人的短信' });
  await w.network.control.waitForSms('+8613900139000');
  await expect(remote.waitForSms(CITIZEN, { timeoutMs: 100 })).rejects.toThrow(
    `waitForSms(${CITIZEN}): nothing within 100 ms. No SMS to ${CITIZEN} at all.\nSMS went to other numbers: +8613900139000`,
  );
});

it('each waitForSms returns a newer message than the last one', async () => {
  await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'first' });
  expect((await remote.waitForSms(CITIZEN)).body).toBe('first');
  await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'second' });
  expect((await remote.waitForSms(CITIZEN)).body).toBe('second');
});

it('refuses bad arguments and actions on calls that are not waiting, with the reason', async () => {
  await expect(remote.answerGather('CA-nope', { speech: 'x' })).rejects.toThrow('cannot answer the <Gather> of call CA-nope: no such call');
  await expect(remote.setBehaviour(CITIZEN, { call: 'maybe' as never })).rejects.toThrow(/^setBehaviour: bad arguments/);
});
