// Telegram: a warning straight to a known chat with inline buttons, /help and /human; and a chat bound to
// a case by the code from the warning SMS plus the person's own contact card (a forwarded one is refused).
import { startE2E, warn, caseView, waitAudit, waitHandoff, type E2E } from './helpers';
import { eventually } from '../support/stack';

describe('Telegram: buttons, commands and binding', () => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E();
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('warns in a known chat, walks the flow with buttons, answers /help and /human', async () => {
    const chatId = 70001;
    const net = e.stack.network.control;
    const { caseId, caseRef } = await warn(e.stack, { phone: '+8613900139041', riskLevel: 'low', telegramChatId: String(chatId) });
    const first = await net.waitForTelegram(chatId, { timeoutMs: 15000 });
    expect(first.text).toContain(caseRef);
    expect(first.text).not.toMatch(/https?:\/\/|www\./);
    const labels = (first.inlineKeyboard ?? []).flat().map((b) => b.text);
    expect(labels).toEqual(['没有转过钱', '已经转了', '找民警']);

    const notPaid = first.inlineKeyboard!.flat().find((b) => b.text === '没有转过钱')!;
    await net.pressButton(chatId, first.messageId, notPaid.callbackData!);
    const second = await net.waitForTelegram(chatId, { timeoutMs: 15000 });
    expect(second.text).toContain('现在还有人让您转账');
    const chat = await net.telegramChat(chatId);
    expect(chat.chat!.callbackAnswers).toHaveLength(1);

    await net.sendTelegram(chatId, '/help');
    const help = await net.waitForTelegram(chatId);
    expect(help.text).toBe('这里是反诈中心。请回复您的情况，或发送 /human 联系民警。官方回拨电话：96110。我们绝不会索要密码、验证码或转账。');

    await net.sendTelegram(chatId, '/human');
    const human = await net.waitForTelegram(chatId);
    expect(human.text).toBe('已通知民警，会尽快与您联系。在此之前请不要转账。');
    await waitHandoff(e.stack, caseId, 'request_human');

    const stillPaying = second.inlineKeyboard!.flat().find((b) => b.text === '有，对方还在联系我')!;
    await net.pressButton(chatId, second.messageId, stillPaying.callbackData!);
    const raised = await waitHandoff(e.stack, caseId, 'mid_scam');
    expect(raised.status).toBe('open');
    const view = await caseView(e.stack, caseId);
    const inbound = view.transcript.filter((m: { direction: string }) => m.direction === 'in');
    expect(inbound.map((m: { channel: string; body: string }) => [m.channel, m.body])).toEqual([
      ['telegram', '没有转过钱'],
      ['telegram', '有，对方还在联系我'],
    ]);
  });

  it('binds a chat by case code and the person’s own contact; a forwarded contact is refused', async () => {
    const phone = '+8613900139042';
    const chatId = 70002;
    const net = e.stack.network.control;
    const { caseId, caseRef } = await warn(e.stack, { phone, riskLevel: 'medium' });
    const sms = await net.waitForSms(phone, { timeoutMs: 15000 });
    expect(sms.body).toContain(caseRef);

    await net.sendTelegram(chatId, `/start ${caseRef}`);
    const ask = await net.waitForTelegram(chatId);
    expect(ask.text).toContain('请点击下方按钮分享您的手机号码');
    expect(ask.replyKeyboard!.flat()).toEqual([expect.objectContaining({ text: '分享我的手机号码', requestContact: true })]);

    // Someone forwards the citizen's contact card: right number, but another Telegram user.
    const forwarded = await postUpdate(e, {
      update_id: 990001,
      message: { message_id: 9001, date: Math.floor(Date.now() / 1000), chat: { id: chatId, type: 'private', first_name: 'X' }, from: { id: chatId, is_bot: false, first_name: 'X' }, contact: { phone_number: phone.slice(1), first_name: '王', user_id: 55555 } },
    });
    expect(forwarded).toBe(200);
    const refused = await net.waitForTelegram(chatId);
    expect(refused.text).toBe('这个号码与案件不符。如有疑问，请拨打 110 或反诈中心公开电话核实。');
    await waitAudit(e.stack, caseId, 'telegram_bind_refused');
    expect((await caseView(e.stack, caseId)).case.telegramChatId).toBeNull();

    // Another number shared from this chat is refused too.
    await net.shareContact(chatId, '+8613900139049');
    expect((await net.waitForTelegram(chatId)).text).toBe('这个号码与案件不符。如有疑问，请拨打 110 或反诈中心公开电话核实。');

    await net.sendTelegram(chatId, caseRef);
    await net.waitForTelegram(chatId, { contains: '分享您的手机号码' });
    await net.shareContact(chatId, phone);
    const bound = await net.waitForTelegram(chatId);
    expect(bound.text).toBe(`已确认。您的案件编号是 ${caseRef}。请直接在这里回复。`);
    await waitAudit(e.stack, caseId, 'telegram_bound');

    await net.sendTelegram(chatId, '对方说要先交保证金才能提现，我正准备转');
    await waitHandoff(e.stack, caseId, 'mid_scam');
    const view = await eventually(async () => {
      const v = await caseView(e.stack, caseId);
      return v.transcript.some((m: { channel: string; direction: string }) => m.channel === 'telegram' && m.direction === 'in') ? v : undefined;
    }, 'the Telegram reply on the case');
    expect(view.transcript.find((m: { channel: string; direction: string }) => m.channel === 'telegram' && m.direction === 'in')).toMatchObject({ intent: 'mid_scam', atRisk: true });
  });
});

async function postUpdate(e: E2E, update: object): Promise<number> {
  const res = await fetch(`${e.stack.appUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': e.stack.env.TELEGRAM_WEBHOOK_SECRET! },
    body: JSON.stringify(update),
  });
  await res.text();
  return res.status;
}
