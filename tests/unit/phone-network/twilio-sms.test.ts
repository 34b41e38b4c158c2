import twilio from 'twilio';
import { localTwilioClient } from '../../../tools/phone-network/twilio-client';
import { ACCOUNT_SID, APP_NUMBER, AUTH_TOKEN, CITIZEN, startWorld, type World } from './setup';

let w: World;
beforeEach(async () => {
  w = await startWorld();
});
afterEach(() => w.close());

describe('Twilio Messages through the real twilio client', () => {
  it('delivers an SMS to the citizen inbox and sends signed status callbacks queued → sent → delivered', async () => {
    const sent = await w.twilioClient.messages.create({
      to: CITIZEN,
      from: APP_NUMBER,
      body: '您好，这里是市反诈中心。案件编号 QZ-1234。',
      statusCallback: `${w.app.url}/webhooks/twilio/sms-status?attempt=1`,
    });
    expect(sent.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(sent.to).toBe(CITIZEN);
    expect(sent.numSegments).toBe('1');
    expect(sent.dateCreated).toBeInstanceOf(Date);

    const sms = await w.network.control.waitForSms(CITIZEN);
    expect(sms.body).toBe('您好，这里是市反诈中心。案件编号 QZ-1234。');
    const inbox = await w.network.control.inbox(CITIZEN);
    expect(inbox.map((i) => [i.channel, i.direction, i.text])).toEqual([['sms', 'to-citizen', sms.body]]);

    await w.network.control.waitForCallback({ ref: sent.sid, status: 'delivered' });
    const callbacks = w.app.received.filter((r) => r.path === '/webhooks/twilio/sms-status');
    expect(callbacks.map((c) => c.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    expect(callbacks.every((c) => c.signatureValid)).toBe(true);
    expect(callbacks[0].headers['user-agent']).toBe('TwilioProxy/1.1');
    expect(callbacks[2].params).toMatchObject({ MessageSid: sent.sid, AccountSid: ACCOUNT_SID, From: APP_NUMBER, To: CITIZEN });
    const log = await w.network.control.callbacks({ ref: sent.sid });
    expect(log.map((c) => c.status)).toEqual([204, 204, 204]);
  });

  it('a forged copy of a callback fails validation: the signature covers the URL and every parameter', async () => {
    const sent = await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'hi', statusCallback: `${w.app.url}/cb` });
    const cb = await w.network.control.waitForCallback({ ref: sent.sid, status: 'delivered' });
    const signature = cb.headers['x-twilio-signature'];
    expect(twilio.validateRequest(AUTH_TOKEN, signature, cb.url, cb.params as Record<string, string>)).toBe(true);
    expect(twilio.validateRequest(AUTH_TOKEN, signature, cb.url, { ...(cb.params as Record<string, string>), MessageStatus: 'failed' })).toBe(false);
  });

  it('reports undelivered with the handset error code when the number is unreachable', async () => {
    await w.network.control.setBehaviour(CITIZEN, { sms: 'undelivered', smsErrorCode: 30003 });
    const sent = await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'hi', statusCallback: `${w.app.url}/cb` });
    const cb = await w.network.control.waitForCallback({ ref: sent.sid, status: 'undelivered' });
    expect(cb.params).toMatchObject({ MessageStatus: 'undelivered', ErrorCode: '30003' });
    const fetched = await w.twilioClient.messages(sent.sid).fetch();
    expect(fetched.status).toBe('undelivered');
    expect(fetched.errorCode).toBe(30003);
    expect(await w.network.control.inbox(CITIZEN)).toEqual([expect.objectContaining({ status: 'undelivered' })]);
  });

  it('rejects bad credentials with 401 and Twilio error 20003', async () => {
    const wrong = localTwilioClient(w.network.url, ACCOUNT_SID, 'not-the-token');
    await expect(wrong.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'x' })).rejects.toMatchObject({
      status: 401,
      code: 20003,
      message: 'Authenticate',
      moreInfo: 'https://www.twilio.com/docs/errors/20003',
    });
    expect(await w.network.control.inbox(CITIZEN)).toEqual([]);
  });

  it("rejects an invalid 'To' number with 400 and code 21211", async () => {
    await expect(w.twilioClient.messages.create({ to: '+86123', from: APP_NUMBER, body: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number +86123 is not a valid phone number.",
    });
  });

  it('a citizen who texts STOP is unsubscribed: Twilio confirms, forwards the STOP, then refuses with 21610', async () => {
    await w.network.control.sendSms(CITIZEN, 'STOP', { to: APP_NUMBER });
    const incoming = w.app.received.find((r) => r.path === '/webhooks/twilio/sms');
    expect(incoming?.params).toMatchObject({ Body: 'STOP', OptOutType: 'STOP', From: CITIZEN, To: APP_NUMBER });
    const inbox = await w.network.control.inbox(CITIZEN);
    expect(inbox[1].text).toMatch(/^You have successfully been unsubscribed/);
    await expect(w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'x' })).rejects.toMatchObject({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
    });
  });

  it('answers the next requests with 500 then 429 when faults are injected, then works again', async () => {
    await w.network.control.injectFault({ target: 'twilio', kind: 500, count: 1, pathContains: 'Messages' });
    await w.network.control.setBehaviour(CITIZEN, { apiFault: { kind: 429, count: 1 } });
    const send = () => w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'retry me' });
    await expect(send()).rejects.toMatchObject({ status: 429, code: 20429, message: 'Too Many Requests' });
    await expect(send()).rejects.toMatchObject({ status: 500, code: 20500 });
    await expect(send()).resolves.toMatchObject({ status: 'queued' });
    const requests = await w.network.control.apiRequests();
    expect(requests.map((r) => [r.status, r.fault])).toEqual([
      [429, 429],
      [500, 500],
      [201, null],
    ]);
  });

  it('holds a request without answer for a timeout fault, so the client times out', async () => {
    const impatient = localTwilioClient(w.network.url, ACCOUNT_SID, AUTH_TOKEN, { timeout: 300 });
    await w.network.control.injectFault({ target: 'twilio', kind: 'timeout' });
    await expect(impatient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'x' })).rejects.toThrow(/timeout of 300ms exceeded/);
    // The fault is spent: the next request is answered (by a client with the default timeout, since a loaded
    // machine can take longer than 300 ms to answer any request).
    await expect(w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'x' })).resolves.toMatchObject({ status: 'queued' });
  });

  it("posts a citizen's SMS to the incoming webhook, signed, and sends the TwiML <Message> reply back", async () => {
    w.app.on('/webhooks/twilio/sms', '<?xml version="1.0"?><Response><Message>收到，我们会尽快联系您。</Message></Response>');
    await w.network.control.sendSms(CITIZEN, '我已经转账了', { to: APP_NUMBER });
    const [incoming] = w.app.received;
    expect(incoming.signatureValid).toBe(true);
    expect(incoming.params).toMatchObject({ From: CITIZEN, To: APP_NUMBER, Body: '我已经转账了', NumMedia: '0', NumSegments: '1', SmsStatus: 'received', AccountSid: ACCOUNT_SID, FromCountry: 'CN' });
    expect(incoming.params.MessageSid).toMatch(/^SM[0-9a-f]{32}$/);
    const reply = await w.network.control.waitForSms(CITIZEN);
    expect(reply).toMatchObject({ from: APP_NUMBER, body: '收到，我们会尽快联系您。', direction: 'outbound-reply' });
  });

  it('re-delivers a callback byte for byte, so the app can prove idempotency', async () => {
    const sent = await w.twilioClient.messages.create({ to: CITIZEN, from: APP_NUMBER, body: 'hi', statusCallback: `${w.app.url}/cb` });
    const delivered = await w.network.control.waitForCallback({ ref: sent.sid, status: 'delivered' });
    const again = await w.network.control.redeliver(delivered.id);
    expect(again).toMatchObject({ redelivery: true, status: 204, params: delivered.params });
    const last = w.app.received[w.app.received.length - 1];
    expect(last.signatureValid).toBe(true);
    expect(last.headers['i-twilio-idempotency-token']).toBe(delivered.headers['i-twilio-idempotency-token']);
  });
});
