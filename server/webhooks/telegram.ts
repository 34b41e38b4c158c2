// Telegram: the secret header is checked first (403 on mismatch, in constant time), each update_id is
// processed once, then telegraf routes the update to our handlers.
import { timingSafeEqual } from 'node:crypto';
import express, { type Router } from 'express';
import { z } from 'zod';
import { Markup, type Telegraf } from 'telegraf';
import type { Services } from '../services';
import { WebhookSignatureError } from '../errors';
import { firstDelivery, forgetDelivery } from '../store/repositories/provider-events';
import { parseWith } from '../http/validate';
import { findLatestCaseByTelegramChat, findOpenCaseByTelegramChat, getCase, getCaseByRef, updateCase } from '../store/repositories/cases';
import { audit } from '../store/repositories/audit';
import { conversationPort, handleReply } from '../cases/conversation';
import { runCaseEvent } from '../cases/case-events';
import { normalisePhone } from '../cases/phone';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const CASE_CODE = /\b(QZ[A-HJ-NP-Z2-9]{6})\b/i;

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

const texts = {
  zh: {
    bindAsk: '为确认是您本人，请点击下方按钮分享您的手机号码。我们不会索要任何密码或验证码。',
    shareButton: '分享我的手机号码',
    bound: (ref: string) => `已确认。您的案件编号是 ${ref}。请直接在这里回复。`,
    mismatch: '这个号码与案件不符。如有疑问，请拨打 110 或反诈中心公开电话核实。',
    unknownCode: '没有找到这个案件编号，请核对后重新发送。',
    help: (n: string) => `这里是反诈中心。请回复您的情况，或发送 /human 联系民警。官方回拨电话：${n}。我们绝不会索要密码、验证码或转账。`,
    human: '已通知民警，会尽快与您联系。在此之前请不要转账。',
    noCase: '请发送预警短信中的案件编号（例如 QZ7K4M2P）以便我们找到您的案件。',
  },
  en: {
    bindAsk: 'To confirm it is you, tap the button below to share your phone number. We never ask for passwords or codes.',
    shareButton: 'Share my phone number',
    bound: (ref: string) => `Confirmed. Your case reference is ${ref}. You can reply here.`,
    mismatch: 'That number does not match the case. If in doubt, call 110 or the centre’s public number.',
    unknownCode: 'We could not find that case code; please check it and send it again.',
    help: (n: string) => `This is the anti-fraud centre. Reply with your situation, or send /human to reach an officer. Official call-back number: ${n}. We never ask for passwords, codes or money.`,
    human: 'An officer has been notified and will contact you soon. Please do not transfer any money meanwhile.',
    noCase: 'Please send the case code from our warning SMS (e.g. QZ7K4M2P) so we can find your case.',
  },
};

export function registerTelegramHandlers(s: Services, bot: Telegraf): void {
  const lang = (code?: string) => (code && !code.startsWith('zh') ? 'en' : 'zh');
  // Chat id → case id awaiting the contact share. In Redis, so any web process can finish the binding.
  const bindingKey = (chatId: string) => `${s.config.queuePrefix}:telegram-binding:${chatId}`;
  const redis = s.queues.cases.client;
  const pendingBinding = {
    set: (chatId: string, caseId: string) => redis.set(bindingKey(chatId), caseId, 'EX', 15 * 60),
    get: (chatId: string) => redis.get(bindingKey(chatId)),
    delete: (chatId: string) => redis.del(bindingKey(chatId)),
  };

  const askToBind = async (chatId: string, ref: string, reply: (t: string, extra?: object) => Promise<unknown>, l: 'zh' | 'en') => {
    const c = await getCaseByRef(s.store.db, ref);
    if (!c || c.status !== 'open') return reply(texts[l].unknownCode);
    await pendingBinding.set(chatId, c.id);
    return reply(texts[l].bindAsk, Markup.keyboard([Markup.button.contactRequest(texts[l].shareButton)]).oneTime().resize());
  };

  bot.start(async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const code = (ctx.payload ?? '').match(CASE_CODE)?.[1];
    if (code) return askToBind(String(ctx.chat.id), code.toUpperCase(), (t, e) => ctx.reply(t, e), l);
    const c = await findOpenCaseByTelegramChat(s.store.db, String(ctx.chat.id));
    return ctx.reply(c ? texts[l].help(s.config.centre.callbackNumber) : texts[l].noCase);
  });

  bot.help((ctx) => ctx.reply(texts[lang(ctx.from?.language_code)].help(s.config.centre.callbackNumber)));

  /** The chat's open case, or its own closed case, which reopens: a citizen back after close keeps their history. */
  const caseOfChat = async (chatId: string) => {
    const open = await findOpenCaseByTelegramChat(s.store.db, chatId);
    if (open) return open;
    const latest = await findLatestCaseByTelegramChat(s.store.db, chatId);
    return latest?.status === 'closed' ? latest : undefined;
  };

  bot.command('human', async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const c = await caseOfChat(String(ctx.chat.id));
    if (!c) return ctx.reply(texts[l].noCase);
    if (c.status === 'closed') await runCaseEvent(s, c.id, { type: 'contact_after_close', channel: 'telegram' }, conversationPort, 'citizen');
    await runCaseEvent(s, c.id, { type: 'human_requested', note: 'asked for a human on Telegram (/human)' }, conversationPort, 'citizen');
    return ctx.reply(texts[l].human);
  });

  bot.on('contact', async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const chatId = String(ctx.chat.id);
    const caseId = await pendingBinding.get(chatId);
    const contact = ctx.message.contact;
    if (!caseId) return ctx.reply(texts[l].noCase);
    const c = await getCase(s.store.db, caseId);
    const phone = normalisePhone(contact.phone_number.startsWith('+') ? contact.phone_number : `+${contact.phone_number}`, s.config.defaultRegion);
    // Only the person's own contact card counts: a forwarded contact has another user_id.
    if (!c || !phone.ok || phone.e164 !== c.phone || contact.user_id !== ctx.from.id) {
      await audit(s.store.db, { caseId, actor: 'citizen', action: 'telegram_bind_refused' });
      return ctx.reply(texts[l].mismatch, Markup.removeKeyboard());
    }
    await pendingBinding.delete(chatId);
    await updateCase(s.store.db, c.id, { telegram_chat_id: chatId });
    await audit(s.store.db, { caseId: c.id, actor: 'citizen', action: 'telegram_bound' });
    return ctx.reply(texts[l].bound(c.case_ref), Markup.removeKeyboard());
  });

  bot.on('callback_query', async (ctx) => {
    const data = 'data' in ctx.callbackQuery ? ctx.callbackQuery.data : undefined;
    const chatId = String(ctx.chat?.id ?? ctx.from.id);
    await ctx.answerCbQuery().catch(() => undefined);
    const c = await caseOfChat(chatId);
    if (!c || !data) return;
    await handleReply(s, { caseId: c.id, channel: 'telegram', text: buttonLabel(ctx.callbackQuery) ?? data, button: data, providerId: `tg:cb:${ctx.callbackQuery.id}` });
  });

  bot.on('text', async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const chatId = String(ctx.chat.id);
    const text = ctx.message.text;
    const c = await caseOfChat(chatId);
    const code = text.trim().match(CASE_CODE)?.[1];
    if (!c && code) return askToBind(chatId, code.toUpperCase(), (t, e) => ctx.reply(t, e), l);
    if (!c) return ctx.reply(texts[l].noCase);
    await handleReply(s, { caseId: c.id, channel: 'telegram', text, providerId: `tg:${chatId}:${ctx.message.message_id}` });
  });
}

function buttonLabel(q: { message?: unknown; data?: string } & object): string | undefined {
  const markup = (q.message as { reply_markup?: { inline_keyboard?: { text: string; callback_data?: string }[][] } } | undefined)?.reply_markup;
  const data = (q as { data?: string }).data;
  for (const row of markup?.inline_keyboard ?? []) for (const b of row) if (b.callback_data === data) return b.text;
  return undefined;
}

// The parts of an update our handlers read; Telegram sends much more, which passes through untouched.
const updateSchema = z.looseObject({
  update_id: z.number().int().min(0),
  message: z
    .looseObject({
      message_id: z.number().int(),
      chat: z.looseObject({ id: z.number().int() }),
      text: z.string().max(4096).optional(),
      contact: z.looseObject({ phone_number: z.string().max(40), user_id: z.number().int().optional() }).optional(),
    })
    .optional(),
  callback_query: z
    .looseObject({
      id: z.string().max(64),
      from: z.looseObject({ id: z.number().int() }),
      data: z.string().max(64).optional(),
    })
    .optional(),
});

export function telegramWebhook(s: Services, bot: Telegraf): Router {
  const router = express.Router();
  const secret = s.config.telegram.webhookSecret;
  // Our errors must reach Telegram as a 500 (it retries), not telegraf's default of printing and answering 200.
  bot.catch((err) => {
    throw err;
  });
  router.post(TELEGRAM_WEBHOOK_PATH, (req, _res, next) => {
    if (!secret || !sameSecret(req.header('x-telegram-bot-api-secret-token'), secret)) return next(new WebhookSignatureError('X-Telegram-Bot-Api-Secret-Token is missing or wrong'));
    next();
  });
  router.post(TELEGRAM_WEBHOOK_PATH, express.json({ limit: '256kb' }), async (req, res) => {
    const update = parseWith(updateSchema, req.body, 'Telegram update');
    const key = `telegram:${update.update_id}`;
    if (!(await firstDelivery(s.store.db, key))) {
      res.status(200).json({ ok: true, duplicate: true });
      return;
    }
    try {
      await bot.handleUpdate(update as unknown as Parameters<Telegraf['handleUpdate']>[0]);
    } catch (err) {
      // Not processed: forget it so Telegram's re-delivery is handled.
      await forgetDelivery(s.store.db, key);
      throw err;
    }
    res.status(200).json({ ok: true });
  });
  return router;
}
