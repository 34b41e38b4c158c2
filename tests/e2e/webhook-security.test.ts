// Forged provider callbacks: a bad X-Twilio-Signature or a wrong Telegram secret gets 403 and changes nothing.
import twilio from 'twilio';
import { startE2E, type E2E } from './helpers';

describe('webhook security', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  const counts = async () => {
    const db = e.store.db;
    const n = async (t: 'cases' | 'messages' | 'provider_events' | 'audit_events' | 'handoffs') => Number((await db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    return { cases: await n('cases'), messages: await n('messages'), events: await n('provider_events'), audit: await n('audit_events'), handoffs: await n('handoffs') };
  };

  const postTwilio = async (path: string, params: Record<string, string>, signature: string | undefined) => {
    const res = await fetch(`${e.stack.appUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(params).toString(),
    });
    return { status: res.status, body: await res.json().catch(() => null) };
  };

  it('refuses Twilio callbacks with a missing, forged, wrong-URL or tampered signature', async () => {
    const before = await counts();
    const sms = { MessageSid: `SM${'b'.repeat(32)}`, AccountSid: e.stack.env.TWILIO_ACCOUNT_SID!, From: '+8613900139051', To: '+12025550100', Body: '我已经转了五万' };
    const token = e.stack.env.TWILIO_AUTH_TOKEN!;
    const url = `${e.stack.appUrl}/webhooks/twilio/sms`;

    expect((await postTwilio('/webhooks/twilio/sms', sms, undefined)).status).toBe(403);
    expect((await postTwilio('/webhooks/twilio/sms', sms, 'Zm9yZ2Vk')).status).toBe(403);
    // Signed by someone who knows the token, but for another URL (a replay against another host).
    expect((await postTwilio('/webhooks/twilio/sms', sms, twilio.getExpectedTwilioSignature(token, 'https://elsewhere.example/webhooks/twilio/sms', sms))).status).toBe(403);
    // Signed with another account's token.
    expect((await postTwilio('/webhooks/twilio/sms', sms, twilio.getExpectedTwilioSignature('0'.repeat(32), url, sms))).status).toBe(403);
    // A genuine signature over different parameters.
    const good = twilio.getExpectedTwilioSignature(token, url, sms);
    const refused = await postTwilio('/webhooks/twilio/sms', { ...sms, Body: '没事' }, good);
    expect(refused).toEqual({ status: 403, body: { error: 'invalid_signature', message: 'X-Twilio-Signature does not match this request' } });
    const status = { CallSid: `CA${'c'.repeat(32)}`, AccountSid: sms.AccountSid, CallStatus: 'no-answer', From: '+12025550100', To: sms.From };
    expect((await postTwilio('/webhooks/twilio/voice/status', status, 'Zm9yZ2Vk')).status).toBe(403);
    expect((await postTwilio('/webhooks/twilio/voice', status, 'Zm9yZ2Vk')).status).toBe(403);

    expect(await counts()).toEqual(before);

    // The control: the same SMS correctly signed is accepted (so the 403s above were the signature's doing).
    expect((await postTwilio('/webhooks/twilio/sms', sms, good)).status).toBe(200);
    expect((await counts()).cases).toBe(before.cases + 1);
  });

  it('refuses Telegram updates without the right secret token', async () => {
    // The first test's accepted SMS is still being answered (status callbacks): wait until it settles.
    await e.stack.network.control.waitForCallback({ kind: 'sms-status', status: 'delivered' }, { timeoutMs: 10000 });
    const before = await counts();
    const update = { update_id: 880001, message: { message_id: 1, date: Math.floor(Date.now() / 1000), chat: { id: 70051, type: 'private', first_name: 'X' }, from: { id: 70051, is_bot: false, first_name: 'X' }, text: '/human' } };
    const post = async (secret: string | undefined) => {
      const res = await fetch(`${e.stack.appUrl}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}) },
        body: JSON.stringify(update),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    };
    const secret = e.stack.env.TELEGRAM_WEBHOOK_SECRET!;
    expect((await post(undefined)).status).toBe(403);
    expect((await post('wrong')).status).toBe(403);
    expect(await post(secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a'))).toEqual({ status: 403, body: { error: 'invalid_signature', message: 'X-Telegram-Bot-Api-Secret-Token is missing or wrong' } });
    expect(await counts()).toEqual(before);
    expect((await e.stack.network.control.telegramChat(70051)).messages).toEqual([]);
    // With the right secret the same update is processed (and the bot answers).
    expect((await post(secret)).status).toBe(200);
    expect((await e.stack.network.control.waitForTelegram(70051)).text).toContain('案件编号');
  });

  it('answers 400 naming the field to a Telegram update of the wrong shape, and remembers nothing of it', async () => {
    const secret = e.stack.env.TELEGRAM_WEBHOOK_SECRET!;
    const post = (body: unknown) =>
      fetch(`${e.stack.appUrl}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(body) });
    const bad = await post({ update_id: 880002, message: { message_id: 2, chat: { id: 70052 }, text: 123 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'validation_error', message: 'invalid Telegram update: message.text: Invalid input: expected string, received number' });
    // The same update_id, now well-formed, is processed: the bad one was not recorded as delivered.
    const good = await post({ update_id: 880002, message: { message_id: 2, date: 0, chat: { id: 70052, type: 'private' }, from: { id: 70052, is_bot: false, first_name: 'Y' }, text: '/help', entities: [{ type: 'bot_command', offset: 0, length: 5 }] } });
    expect(good.status).toBe(200);
    expect((await e.stack.network.control.waitForTelegram(70052)).text).toContain('/human');
  });
});
