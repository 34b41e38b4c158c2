import { Markup, Telegraf } from 'telegraf';
import { BOT_TOKEN, CITIZEN, startWorld, type World } from './setup';

let w: World;
let bot: Telegraf;
const CHAT = 555001;
const SECRET = 'quanzu-secret_42';

beforeEach(async () => {
  w = await startWorld();
  bot = new Telegraf(BOT_TOKEN, { telegram: { apiRoot: w.network.url } });
});
afterEach(() => w.close());

/** Serve the bot with telegraf's own webhook handler, mounted as an app would, while fn runs. */
async function withTelegrafWebhook(fn: () => Promise<void>): Promise<void> {
  bot.botInfo = (await bot.telegram.getMe()) as typeof bot.botInfo;
  const express = (await import('express')).default;
  const app = express();
  app.post('/webhooks/telegram', bot.webhookCallback('/webhooks/telegram', { secretToken: SECRET }));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', r));
  const { port } = server.address() as { port: number };
  try {
    await bot.telegram.setWebhook(`http://127.0.0.1:${port}/webhooks/telegram`, { secret_token: SECRET });
    await fn();
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

describe('Telegram Bot API through the real telegraf', () => {
  it('getMe answers the bot, and a wrong token gets 401 Unauthorized', async () => {
    await expect(bot.telegram.getMe()).resolves.toMatchObject({ id: 7000000001, is_bot: true, username: 'quanzu_local_bot' });
    const wrong = new Telegraf('7000000001:wrong', { telegram: { apiRoot: w.network.url } });
    await expect(wrong.telegram.getMe()).rejects.toMatchObject({ response: { ok: false, error_code: 401, description: 'Unauthorized' } });
  });

  it('sendMessage with an inline keyboard shows the buttons in the chat', async () => {
    const sent = await bot.telegram.sendMessage(CHAT, '您是否已经转账？', Markup.inlineKeyboard([[Markup.button.callback('没有', 'paid:no'), Markup.button.callback('已经转了', 'paid:yes')]]));
    expect(sent).toMatchObject({ message_id: 1, chat: { id: CHAT, type: 'private' }, text: '您是否已经转账？' });
    const got = await w.network.control.waitForTelegram(CHAT);
    expect(got.inlineKeyboard).toEqual([[{ text: '没有', callbackData: 'paid:no' }, { text: '已经转了', callbackData: 'paid:yes' }]]);
  });

  it('pressing a button POSTs a callback_query to the webhook with the secret header', async () => {
    await bot.telegram.setWebhook(`${w.app.url}/webhooks/telegram`, { secret_token: SECRET, allowed_updates: ['message', 'callback_query'] });
    const sent = await bot.telegram.sendMessage(CHAT, '您是否已经转账？', Markup.inlineKeyboard([Markup.button.callback('没有', 'paid:no')]));
    const queryId = await w.network.control.pressButton(CHAT, sent.message_id, 'paid:no');
    const update = w.app.received.find((r) => r.path === '/webhooks/telegram');
    expect(update?.headers['x-telegram-bot-api-secret-token']).toBe(SECRET);
    expect(update?.json).toMatchObject({
      update_id: expect.any(Number),
      callback_query: { id: queryId, data: 'paid:no', from: { id: CHAT, is_bot: false }, message: { message_id: sent.message_id, text: '您是否已经转账？' } },
    });
    await expect(bot.telegram.answerCbQuery(queryId, '已记录')).resolves.toBe(true);
    expect((await w.network.control.telegramChat(CHAT)).chat?.callbackAnswers).toEqual([expect.objectContaining({ text: '已记录' })]);
  });

  it('a telegraf webhook handler gets /start as a command and its reply lands in the chat', async () => {
    bot.start((ctx) => ctx.reply('您好，我是反诈中心的助手。', Markup.keyboard([Markup.button.contactRequest('分享手机号')]).oneTime()));
    bot.on('contact', (ctx) => ctx.reply(`谢谢，${ctx.message.contact.phone_number}`));
    await withTelegrafWebhook(async () => {
      await w.network.control.sendTelegram(CHAT, '/start QZ-1234');
      const greeting = await w.network.control.waitForTelegram(CHAT);
      expect(greeting.text).toBe('您好，我是反诈中心的助手。');
      expect(greeting.replyKeyboard).toEqual([[{ text: '分享手机号', requestContact: true }]]);
      await w.network.control.shareContact(CHAT, CITIZEN);
      expect((await w.network.control.waitForTelegram(CHAT)).text).toBe('谢谢，8613800138000');
      const inbox = await w.network.control.inbox(CITIZEN);
      expect(inbox.map((i) => [i.channel, i.direction])).toContainEqual(['telegram', 'to-citizen']);
    });
  });

  it("executes a method the bot puts in its webhook answer (telegraf's webhookReply)", async () => {
    bot.action('paid:no', (ctx) => ctx.answerCbQuery('已记录，谢谢'));
    await withTelegrafWebhook(async () => {
      const sent = await bot.telegram.sendMessage(CHAT, '您是否已经转账？', Markup.inlineKeyboard([Markup.button.callback('没有', 'paid:no')]));
      await w.network.control.pressButton(CHAT, sent.message_id, 'paid:no');
      const log = await w.network.control.callbacks({ kind: 'telegram-update' });
      expect(JSON.parse(log[0].responseBody)).toMatchObject({ method: 'answerCallbackQuery', text: '已记录，谢谢' });
      expect((await w.network.control.telegramChat(CHAT)).chat?.callbackAnswers).toEqual([expect.objectContaining({ text: '已记录，谢谢' })]);
    });
  });

  it('without a webhook, updates wait for getUpdates long polling; with one, getUpdates is refused 409', async () => {
    const pending = bot.telegram.callApi('getUpdates', { timeout: 5, offset: 0 } as never) as Promise<{ update_id: number; message: { text: string } }[]>;
    await w.network.control.sendTelegram(CHAT, '你好');
    const updates = await pending;
    expect(updates.map((u) => u.message.text)).toEqual(['你好']);
    const next = (await bot.telegram.callApi('getUpdates', { offset: updates[0].update_id + 1, timeout: 0 } as never)) as unknown[];
    expect(next).toEqual([]);
    await bot.telegram.setWebhook(`${w.app.url}/tg`);
    await expect(bot.telegram.callApi('getUpdates', {} as never)).rejects.toMatchObject({
      response: { error_code: 409, description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first" },
    });
  });

  it('refuses what the real API refuses: too-long callback_data, unescaped MarkdownV2, a blocked user', async () => {
    await expect(bot.telegram.sendMessage(CHAT, 'x', Markup.inlineKeyboard([Markup.button.callback('按钮', '数据'.repeat(20))]))).rejects.toMatchObject({
      response: { error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' },
    });
    await expect(bot.telegram.sendMessage(CHAT, '请拨打 96110.', { parse_mode: 'MarkdownV2' })).rejects.toMatchObject({
      response: { error_code: 400, description: "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'" },
    });
    await w.network.control.setTelegramBehaviour(CHAT, { blocked: true });
    await expect(bot.telegram.sendMessage(CHAT, 'hi')).rejects.toMatchObject({ response: { error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
  });

  it('keeps re-delivering an update the webhook refuses, and getWebhookInfo shows the error', async () => {
    let calls = 0;
    w.app.on('/tg', () => (++calls === 1 ? { status: 500 } : { status: 200 }));
    await bot.telegram.setWebhook(`${w.app.url}/tg`);
    await w.network.control.sendTelegram(CHAT, '在吗');
    expect((await bot.telegram.getWebhookInfo()).last_error_message).toBe('Wrong response from the webhook: 500');
    await w.network.control.waitForCallback({ kind: 'telegram-update' });
    await w.network.state.waitUntil(() => (calls >= 2 ? true : undefined), 2000, 'retry', () => `${calls} deliveries`);
    const log = await w.network.control.callbacks({ kind: 'telegram-update' });
    expect(log.map((c) => c.status)).toEqual([500, 200]);
    expect(log[0].params.update_id).toBe(log[1].params.update_id);
  });

  it('editMessageReplyMarkup removes the buttons; editing to the same content is refused like the real API', async () => {
    const sent = await bot.telegram.sendMessage(CHAT, '选择', Markup.inlineKeyboard([Markup.button.callback('A', 'a')]));
    await bot.telegram.editMessageReplyMarkup(CHAT, sent.message_id, undefined, undefined);
    expect((await w.network.control.telegramChat(CHAT)).messages[0].inlineKeyboard).toBeNull();
    await expect(bot.telegram.editMessageReplyMarkup(CHAT, sent.message_id, undefined, undefined)).rejects.toMatchObject({
      response: { error_code: 400, description: expect.stringMatching(/^Bad Request: message is not modified/) },
    });
  });
});
