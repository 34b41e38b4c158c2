// Hostile input at every public endpoint: always a clear 4xx naming the problem, never a 5xx or a crash,
// and nothing half-written.
import path from 'node:path';
import twilio from 'twilio';
import { startStack, type Stack } from '../support/stack';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(60_000);

const ODD = ['', ' ', '\u0000', '\u202e+8613800138000', '𝕏'.repeat(50), "'; drop table cases; --", '{{constructor.constructor("return process")()}}', '<script>alert(1)</script>', '../../etc/passwd', '\ud800'];

describe('hostile input', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { POLICY_FILE: POLICY, BODY_LIMIT_BYTES: '200000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const raw = async (method: string, p: string, body: string | undefined, headers: Record<string, string> = {}) => {
    const res = await fetch(stack.appUrl + p, { method, headers, body });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = text;
    }
    return { status: res.status, body: json };
  };
  const intake = (body: string, type = 'application/json') => raw('POST', '/api/warnings', body, { authorization: `Bearer ${stack.keys.intake}`, 'content-type': type });
  const twilioPost = (p: string, params: Record<string, string>, signature?: string) =>
    raw('POST', p, new URLSearchParams(params).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature ?? twilio.getExpectedTwilioSignature(stack.env.TWILIO_AUTH_TOKEN!, stack.appUrl + p, params),
    });

  it.each([
    ['malformed JSON', '{"source": "x", ', 400, 'malformed_body'],
    ['a JSON string', '"hello"', 400, 'validation_error'],
    ['a number', '42', 400, 'validation_error'],
    ['null', 'null', 400, 'validation_error'],
    ['an empty batch', '{"warnings": []}', 400, 'validation_error'],
    ['a batch over the limit', JSON.stringify({ warnings: Array.from({ length: 1001 }, () => ({})) }), 400, 'validation_error'],
    ['a huge body', JSON.stringify({ source: 'x', externalId: 'y', phone: '1', name: 'n'.repeat(300_000) }), 413, 'body_too_large'],
    ['wrong types', JSON.stringify({ source: 1, externalId: [], phone: {}, amount: 'lots' }), 400, 'validation_error'],
    ['deeply nested', `{"source":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`, 400, 'validation_error'],
    ['a prototype-polluting key', '{"__proto__": {"admin": true}, "source": "x"}', 400, 'validation_error'],
  ])('POST /api/warnings with %s → %p %p', async (_name, body, status, error) => {
    const r = await intake(body);
    expect(r.status).toBe(status);
    expect(r.body.error).toBe(error);
    expect(typeof r.body.message).toBe('string');
  });

  it('names the field for odd Unicode and injection strings, and stores none of them', async () => {
    for (const [i, s] of ODD.entries()) {
      const r = await intake(JSON.stringify({ source: 'hostile', externalId: `odd-${i}`, phone: s }));
      expect([r.status, r.body.error, r.body.message]).toEqual([400, 'validation_error', expect.stringMatching(/^invalid warning: phone: /)]);
    }
    const batch = await intake(JSON.stringify({ warnings: ODD.map((s, i) => ({ source: s, externalId: `b-${i}`, phone: '+8613800138000', riskLevel: s })) }));
    expect(batch.status).toBe(202);
    expect(batch.body).toMatchObject({ accepted: 0, rejected: ODD.length });
    const store = await stack.db.open();
    try {
      expect(await store.db.selectFrom('warnings').select('id').execute()).toEqual([]);
      expect(await store.db.selectFrom('cases').select('id').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('refuses intake without a key, with a wrong key, and with the wrong role', async () => {
    expect((await raw('POST', '/api/warnings', '{}', { 'content-type': 'application/json' })).status).toBe(401);
    expect((await raw('POST', '/api/warnings', '{}', { 'content-type': 'application/json', authorization: 'Bearer nope' })).status).toBe(401);
    const desk = await raw('POST', '/api/warnings', '{}', { 'content-type': 'application/json', authorization: `Bearer ${stack.keys.desk}` });
    expect(desk.status).toBe(403);
  });

  it('answers 400 naming the id for odd case ids, never 500', async () => {
    for (const id of ['nope', "1' or '1'='1", '%00', '..%2F..%2Fetc', 'x'.repeat(2000)]) {
      const r = await raw('GET', `/api/cases/${id}`, undefined, { authorization: `Bearer ${stack.keys.desk}` });
      expect([id.slice(0, 12), r]).toEqual([id.slice(0, 12), { status: 400, body: { error: 'validation_error', message: 'invalid case id: id: must be a case id' } }]);
    }
  });

  it('Twilio webhooks: forged, missing and replayed signatures get 403 and change nothing', async () => {
    const params = { MessageSid: `SM${'b'.repeat(32)}`, AccountSid: stack.env.TWILIO_ACCOUNT_SID!, From: '+8613800138001', To: '+12025550100', Body: '我被骗了' };
    const forged = await twilioPost('/webhooks/twilio/sms', params, 'AAAA');
    expect(forged).toEqual({ status: 403, body: { error: 'invalid_signature', message: 'X-Twilio-Signature does not match this request' } });
    const missing = await raw('POST', '/webhooks/twilio/sms', new URLSearchParams(params).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(missing).toEqual({ status: 403, body: { error: 'invalid_signature', message: 'missing X-Twilio-Signature header' } });
    // A genuine signature replayed onto another body, and onto another URL.
    const sig = twilio.getExpectedTwilioSignature(stack.env.TWILIO_AUTH_TOKEN!, `${stack.appUrl}/webhooks/twilio/sms`, params);
    expect((await twilioPost('/webhooks/twilio/sms', { ...params, Body: '转账' }, sig)).status).toBe(403);
    expect((await twilioPost('/webhooks/twilio/voice/status', params, sig)).status).toBe(403);
    const store = await stack.db.open();
    try {
      expect(await store.db.selectFrom('messages').select('id').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it.each([
    ['/webhooks/twilio/sms', { From: '+8613800138001' }],
    ['/webhooks/twilio/sms/status', { MessageSid: 'SMx', MessageStatus: 'exploded' }],
    ['/webhooks/twilio/voice', { CallSid: 123 as unknown as string }],
    ['/webhooks/twilio/voice/gather?caseId=nope&turn=abc', { CallSid: `CA${'c'.repeat(32)}`, SpeechResult: '好' }],
    ['/webhooks/twilio/voice/status', { CallSid: `CA${'c'.repeat(32)}`, CallStatus: 'teleported' }],
  ])('signed Twilio callback with bad fields at %s → 400 naming the field', async (p, params) => {
    const r = await twilioPost(p, params as Record<string, string>);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('validation_error');
    expect(r.body.message).toMatch(/:/);
  });

  it('a gather for an unknown case is refused with 404 naming the case, never a 5xx', async () => {
    const r = await twilioPost('/webhooks/twilio/voice/gather?caseId=00000000-0000-0000-0000-000000000000&turn=0', { CallSid: `CA${'d'.repeat(32)}`, AccountSid: stack.env.TWILIO_ACCOUNT_SID!, SpeechResult: '没有' });
    expect(r).toEqual({ status: 404, body: { error: 'not_found', message: 'case 00000000-0000-0000-0000-000000000000 not found' } });
  });

  it('Telegram webhook: wrong secret 403, malformed update 400, unknown update kinds ignored', async () => {
    const url = '/webhooks/telegram';
    const secret = stack.env.TELEGRAM_WEBHOOK_SECRET!;
    expect((await raw('POST', url, '{"update_id":1}', { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(403);
    const bad = await raw('POST', url, '{"update_id":', { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret });
    expect([bad.status, bad.body.error]).toEqual([400, 'malformed_body']);
    const noId = await raw('POST', url, '{"message":{}}', { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret });
    expect([noId.status, noId.body.error, noId.body.message]).toEqual([400, 'validation_error', expect.stringMatching(/^invalid Telegram update: update_id: /)]);
    const odd = await raw('POST', url, JSON.stringify({ update_id: 77, poll: { id: 'x' } }), { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret });
    expect(odd.status).toBe(200);
  });

  it('login with hostile bodies is refused with a 4xx naming the problem', async () => {
    const answers = [];
    for (const body of ['{', '[]', JSON.stringify({ username: ODD, password: 1 }), JSON.stringify({ username: "admin' --", password: 'x' })]) {
      const r = await raw('POST', '/api/session', body, { 'content-type': 'application/json' });
      answers.push([r.status, r.body.error]);
    }
    expect(answers).toEqual([
      [400, 'malformed_body'],
      [400, 'validation_error'],
      [400, 'validation_error'],
      [401, 'invalid_credentials'],
    ]);
  });

  it('is still healthy afterwards', async () => {
    expect((await raw('GET', '/healthz', undefined)).body).toEqual({ ok: true });
  });
});
