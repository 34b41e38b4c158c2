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
import { caseLocale, systemText, type MessageId } from '../../flows/engine/messages';
import type { Locale } from '../../flows/engine/vocabulary';

export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
const CASE_CODE = /\b(QZ[A-HJ-NP-Z2-9]{6})\b/i;

function sameSecret(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// System texts come from the message catalogue (flows/messages/catalogue.yaml) in the case's locale;
// Telegram's language_code only when no case is known yet.
const say = (id: MessageId, l: Locale, vars?: Record<string, string>) => systemText(id, l, vars);

export function registerTelegramHandlers(s: Services, bot: Telegraf): void {
  const lang = (code?: string): Locale => (code && !code.startsWith('zh') ? 'en' : 'zh');
  // Chat id → case id awaiting the contact share. In Redis, so any web process can finish the binding.
  const bindingKey = (chatId: string) => `${s.config.queuePrefix}:telegram-binding:${chatId}`;
  const redis = s.queues.cases.client;
  const pendingBinding = {
    set: (chatId: string, caseId: string) => redis.set(bindingKey(chatId), caseId, 'EX', 15 * 60),
    get: (chatId: string) => redis.get(bindingKey(chatId)),
    delete: (chatId: string) => redis.del(bindingKey(chatId)),
  };

  const askToBind = async (chatId: string, ref: string, reply: (t: string, extra?: object) => Promise<unknown>, l: Locale) => {
    const c = await getCaseByRef(s.store.db, ref);
    if (!c || c.status !== 'open') return reply(say('telegram.unknown_code', l));
    await pendingBinding.set(chatId, c.id);
    const cl = caseLocale(c);
    return reply(say('telegram.bind_ask', cl), Markup.keyboard([Markup.button.contactRequest(say('telegram.share_button', cl))]).oneTime().resize());
  };
  const callback = { callback_number: s.config.centre.callbackNumber };

  bot.start(async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const code = (ctx.payload ?? '').match(CASE_CODE)?.[1];
    if (code) return askToBind(String(ctx.chat.id), code.toUpperCase(), (t, e) => ctx.reply(t, e), l);
    const c = await findOpenCaseByTelegramChat(s.store.db, String(ctx.chat.id));
    return ctx.reply(c ? say('telegram.help', caseLocale(c), callback) : say('telegram.no_case', l));
  });

  bot.help(async (ctx) => {
    const c = await findOpenCaseByTelegramChat(s.store.db, String(ctx.chat.id));
    return ctx.reply(say('telegram.help', c ? caseLocale(c) : lang(ctx.from?.language_code), callback));
  });

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
    if (!c) return ctx.reply(say('telegram.no_case', l));
    if (c.status === 'closed') await runCaseEvent(s, c.id, { type: 'contact_after_close', channel: 'telegram' }, conversationPort, 'citizen');
    await runCaseEvent(s, c.id, { type: 'human_requested', note: 'asked for a human on Telegram (/human)' }, conversationPort, 'citizen');
    return ctx.reply(say('telegram.human', caseLocale(c)));
  });

  bot.on('contact', async (ctx) => {
    const l = lang(ctx.from?.language_code);
    const chatId = String(ctx.chat.id);
    const caseId = await pendingBinding.get(chatId);
    const contact = ctx.message.contact;
    if (!caseId) return ctx.reply(say('telegram.no_case', l));
    const c = await getCase(s.store.db, caseId);
    const cl = c ? caseLocale(c) : l;
    const phone = normalisePhone(contact.phone_number.startsWith('+') ? contact.phone_number : `+${contact.phone_number}`, s.config.defaultRegion);
    // Only the person's own contact card counts: a forwarded contact has another user_id.
    if (!c || !phone.ok || phone.e164 !== c.phone || contact.user_id !== ctx.from.id) {
      await audit(s.store.db, { caseId, actor: 'citizen', action: 'telegram_bind_refused' });
      return ctx.reply(say('telegram.mismatch', cl), Markup.removeKeyboard());
    }
    await pendingBinding.delete(chatId);
    await updateCase(s.store.db, c.id, { telegram_chat_id: chatId });
    await audit(s.store.db, { caseId: c.id, actor: 'citizen', action: 'telegram_bound' });
    return ctx.reply(say('telegram.bound', cl, { case_ref: c.case_ref }), Markup.removeKeyboard());
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
    if (!c) return ctx.reply(say('telegram.no_case', l));
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
