// The Bot API's side of a Telegram bot: methods the bot calls, and citizens' updates delivered to the bot
// by webhook (with the secret header) or held for getUpdates long polling.
import type { NetworkContext } from './context';
import { callbackQueryId } from './sids';
import { nowIso } from './state';
import { parseReplyMarkup, renderText, TelegramRefusal } from './telegram-format';
import type { TelegramChatRecord, TelegramMessageRecord } from './types';

type Update = { update_id: number } & Record<string, unknown>;
type Params = Record<string, unknown>;

interface WebhookConfig {
  url: string;
  secret: string | null;
  allowedUpdates: string[] | null;
  maxConnections: number;
  lastErrorDate: number | null;
  lastErrorMessage: string | null;
}

const MAX_TEXT = 4096;
const MAX_POLL_SECONDS = 50;

function unix(): number {
  return Math.floor(Date.now() / 1000);
}

export class TelegramEngine {
  private webhook: WebhookConfig | null = null;
  private queue: Update[] = [];
  private allowedUpdates: string[] | null = null;
  private nextUpdateId = 100_000_000 + Math.floor(Math.random() * 1_000_000);
  private delivering = false;
  private poll: { resolve: (u: Update[]) => void; reject: (e: TelegramRefusal) => void } | null = null;
  private readonly messageCounters = new Map<number, number>();
  private readonly pendingQueries = new Map<string, number>();
  private commands: unknown[] = [];
  readonly bot: Record<string, unknown>;

  constructor(private readonly ctx: NetworkContext) {
    const id = Number(ctx.options.telegram.botToken.split(':')[0]) || 7_000_000_001;
    this.bot = {
      id,
      is_bot: true,
      first_name: 'Quanzu (local)',
      username: ctx.options.telegram.botUsername,
      can_join_groups: false,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    };
    ctx.lifetime.onClose(() => this.poll?.resolve([]));
  }

  webhookInfo(): Record<string, unknown> {
    const w = this.webhook;
    const info: Record<string, unknown> = { url: w?.url ?? '', has_custom_certificate: false, pending_update_count: this.queue.length };
    if (w) {
      info.max_connections = w.maxConnections;
      info.ip_address = '127.0.0.1';
      if (w.allowedUpdates) info.allowed_updates = w.allowedUpdates;
      if (w.lastErrorDate) {
        info.last_error_date = w.lastErrorDate;
        info.last_error_message = w.lastErrorMessage;
      }
    }
    return info;
  }

  /** Run one Bot API method; throws TelegramRefusal with the API's error_code and description. */
  async call(methodName: string, p: Params): Promise<{ result: unknown; description?: string }> {
    switch (methodName.toLowerCase()) {
      case 'getme':
        return { result: this.bot };
      case 'setwebhook':
        return this.setWebhook(p);
      case 'deletewebhook': {
        const had = this.webhook !== null;
        this.webhook = null;
        if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue = [];
        this.changed();
        return { result: true, description: had ? 'Webhook was deleted' : 'Webhook is already deleted' };
      }
      case 'getwebhookinfo':
        return { result: this.webhookInfo() };
      case 'getupdates':
        return { result: await this.getUpdates(p) };
      case 'sendmessage':
        return { result: this.sendMessage(p) };
      case 'answercallbackquery':
        return { result: this.answerCallbackQuery(p) };
      case 'editmessagereplymarkup':
        return { result: this.edit(p, false) };
      case 'editmessagetext':
        return { result: this.edit(p, true) };
      case 'deletemessage': {
        const m = this.findMessage(p);
        this.ctx.state.telegramMessages = this.ctx.state.telegramMessages.filter((x) => x !== m);
        this.ctx.state.changed('telegram', this.keysOf(m.chatId), String(m.messageId));
        return { result: true };
      }
      case 'sendchataction':
        this.chatOf(p.chat_id);
        return { result: true };
      case 'setmycommands':
        this.commands = (typeof p.commands === 'string' ? JSON.parse(p.commands) : p.commands) as unknown[];
        return { result: true };
      case 'getmycommands':
        return { result: this.commands };
      case 'deletemycommands':
        this.commands = [];
        return { result: true };
      case 'getchat': {
        const chat = this.chatOf(p.chat_id);
        return { result: { id: chat.chatId, type: 'private', first_name: chat.firstName, ...(chat.username ? { username: chat.username } : {}) } };
      }
      case 'logout':
      case 'close':
        return { result: true };
      default:
        throw new TelegramRefusal(404, 'Not Found');
    }
  }

  // ---- the citizen's side -------------------------------------------------------------------------

  citizenSends(chatId: number, text: string, profile: { firstName?: string; username?: string; languageCode?: string } = {}): TelegramMessageRecord {
    const chat = this.ensureChat(chatId, profile);
    const message: Params = { text };
    // Clients mark a leading /command as an entity; telegraf's command() matching depends on it.
    if (text.startsWith('/')) {
      const end = text.search(/\s/);
      message.entities = [{ offset: 0, length: end < 0 ? text.length : end, type: 'bot_command' }];
    }
    const record = this.storeCitizenMessage(chat, message);
    this.enqueue({ message: record.raw });
    return record;
  }

  shareContact(chatId: number, phone: string): TelegramMessageRecord {
    const chat = this.ensureChat(chatId, {});
    chat.phone = phone;
    // Telegram's mobile clients send the user's own number without the leading '+'.
    const contact = { phone_number: phone.replace(/^\+/, ''), first_name: chat.firstName, user_id: chatId };
    const record = this.storeCitizenMessage(chat, { contact });
    record.contact = { phoneNumber: contact.phone_number, firstName: contact.first_name, userId: chatId };
    this.enqueue({ message: record.raw });
    return record;
  }

  /** The citizen taps an inline button: the bot gets a callback_query. Returns the query id. */
  pressButton(chatId: number, messageId: number, data: string): string {
    const m = this.ctx.state.telegramMessages.find((x) => x.chatId === chatId && x.messageId === messageId && x.from === 'bot');
    if (!m) throw new Error(`pressButton: chat ${chatId} has no bot message ${messageId} (bot messages: ${this.botMessageIds(chatId)})`);
    const buttons = (m.inlineKeyboard ?? []).flat();
    if (!buttons.some((b) => b.callbackData === data))
      throw new Error(`pressButton: message ${messageId} in chat ${chatId} has no button with data "${data}" (buttons: ${JSON.stringify(buttons)})`);
    const chat = this.ensureChat(chatId, {});
    const id = callbackQueryId();
    this.pendingQueries.set(id, chatId);
    this.enqueue({
      callback_query: { id, from: this.userOf(chat), message: m.raw, chat_instance: String(chatId * 7919), data },
    });
    return id;
  }

  // ---- methods ------------------------------------------------------------------------------------

  private setWebhook(p: Params): { result: true; description: string } {
    const url = typeof p.url === 'string' ? p.url : '';
    if (!url) {
      this.webhook = null;
      return { result: true, description: 'Webhook was deleted' };
    }
    try {
      new URL(url);
    } catch {
      throw new TelegramRefusal(400, 'Bad Request: bad webhook: Failed to resolve host: Name or service not known');
    }
    const secret = typeof p.secret_token === 'string' && p.secret_token ? p.secret_token : null;
    if (secret && !/^[A-Za-z0-9_-]{1,256}$/.test(secret))
      throw new TelegramRefusal(400, 'Bad Request: secret token contains unallowed characters');
    const allowed = typeof p.allowed_updates === 'string' ? (JSON.parse(p.allowed_updates) as string[]) : (p.allowed_updates as string[] | undefined);
    const same = this.webhook?.url === url;
    this.webhook = {
      url,
      secret,
      allowedUpdates: allowed && allowed.length ? allowed : null,
      maxConnections: Number(p.max_connections ?? 40),
      lastErrorDate: null,
      lastErrorMessage: null,
    };
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') this.queue = [];
    this.poll?.reject(new TelegramRefusal(409, 'Conflict: terminated by setWebhook request'));
    this.poll = null;
    this.changed();
    this.kick();
    return { result: true, description: same ? 'Webhook is already set' : 'Webhook was set' };
  }

  private async getUpdates(p: Params): Promise<Update[]> {
    if (this.webhook)
      throw new TelegramRefusal(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    this.poll?.reject(new TelegramRefusal(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    this.poll = null;
    const offset = p.offset === undefined ? null : Number(p.offset);
    if (offset !== null && offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    if (p.allowed_updates !== undefined) {
      const allowed = typeof p.allowed_updates === 'string' ? (JSON.parse(p.allowed_updates) as string[]) : (p.allowed_updates as string[]);
      this.allowedUpdates = allowed.length ? allowed : null;
    }
    const limit = Math.min(Math.max(Number(p.limit ?? 100), 1), 100);
    const available = (): Update[] => this.queue.filter((u) => this.allowed(u, this.allowedUpdates)).slice(0, limit);
    const now = available();
    const timeout = Math.min(Number(p.timeout ?? 0), MAX_POLL_SECONDS);
    if (now.length || timeout <= 0 || this.ctx.lifetime.isClosed) return now;
    return new Promise<Update[]>((resolve, reject) => {
      const timer = setTimeout(() => done(), timeout * 1000);
      const done = (): void => {
        clearTimeout(timer);
        this.ctx.state.events.off('change', onChange);
        if (this.poll === entry) this.poll = null;
        resolve(available());
      };
      const onChange = (): void => {
        if (available().length) done();
      };
      const entry = {
        resolve: () => done(),
        reject: (e: TelegramRefusal) => {
          clearTimeout(timer);
          this.ctx.state.events.off('change', onChange);
          reject(e);
        },
      };
      this.poll = entry;
      this.ctx.state.events.on('change', onChange);
    });
  }

  private sendMessage(p: Params): Record<string, unknown> {
    const chat = this.chatOf(p.chat_id);
    const text = typeof p.text === 'string' ? p.text : p.text === undefined ? '' : String(p.text);
    if (!text.trim()) throw new TelegramRefusal(400, 'Bad Request: message text is empty');
    const parseMode = typeof p.parse_mode === 'string' && p.parse_mode ? p.parse_mode : null;
    const shown = renderText(text, parseMode);
    if (shown.length > MAX_TEXT) throw new TelegramRefusal(400, 'Bad Request: message is too long');
    const markup = parseReplyMarkup(p.reply_markup);
    const messageId = this.nextMessageId(chat.chatId);
    const raw: Record<string, unknown> = {
      message_id: messageId,
      from: this.bot,
      chat: this.chatObject(chat),
      date: unix(),
      text: shown,
    };
    if (markup.inlineKeyboard) raw.reply_markup = markup.raw;
    const record: TelegramMessageRecord = {
      seq: this.ctx.state.nextSeq(),
      chatId: chat.chatId,
      messageId,
      from: 'bot',
      date: nowIso(),
      text: shown,
      parseMode,
      contact: null,
      inlineKeyboard: markup.inlineKeyboard,
      replyKeyboard: markup.replyKeyboard,
      removeKeyboard: markup.removeKeyboard,
      editedAt: null,
      raw,
    };
    this.ctx.state.telegramMessages.push(record);
    this.ctx.state.changed('telegram', this.keysOf(chat.chatId), String(messageId));
    return raw;
  }

  private answerCallbackQuery(p: Params): true {
    const id = String(p.callback_query_id ?? '');
    const chatId = this.pendingQueries.get(id);
    if (chatId === undefined)
      throw new TelegramRefusal(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    this.pendingQueries.delete(id);
    const chat = this.ensureChat(chatId, {});
    chat.callbackAnswers.push({
      callbackQueryId: id,
      text: typeof p.text === 'string' ? p.text : null,
      showAlert: p.show_alert === true || p.show_alert === 'true',
      at: nowIso(),
    });
    this.ctx.state.changed('telegram', this.keysOf(chatId), id);
    return true;
  }

  private edit(p: Params, withText: boolean): Record<string, unknown> {
    if (p.inline_message_id) throw new TelegramRefusal(400, 'Bad Request: inline messages are not simulated by the local phone network');
    const m = this.findMessage(p);
    if (m.from !== 'bot') throw new TelegramRefusal(400, "Bad Request: message can't be edited");
    const markup = parseReplyMarkup(p.reply_markup);
    let text = m.text;
    if (withText) {
      const raw = typeof p.text === 'string' ? p.text : '';
      if (!raw.trim()) throw new TelegramRefusal(400, 'Bad Request: message text is empty');
      text = renderText(raw, typeof p.parse_mode === 'string' && p.parse_mode ? p.parse_mode : null);
    }
    const sameMarkup = JSON.stringify(markup.inlineKeyboard) === JSON.stringify(m.inlineKeyboard);
    if (text === m.text && sameMarkup)
      throw new TelegramRefusal(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    m.text = text;
    m.inlineKeyboard = markup.inlineKeyboard;
    m.editedAt = nowIso();
    m.raw = { ...m.raw, text, edit_date: unix() };
    if (markup.inlineKeyboard) m.raw.reply_markup = markup.raw;
    else delete m.raw.reply_markup;
    this.ctx.state.changed('telegram', this.keysOf(m.chatId), String(m.messageId));
    return m.raw;
  }

  // ---- updates ------------------------------------------------------------------------------------

  private enqueue(body: Record<string, unknown>): void {
    const update = { update_id: this.nextUpdateId++, ...body } as Update;
    this.queue.push(update);
    this.changed();
    this.kick();
  }

  private allowed(u: Update, allowed: string[] | null): boolean {
    if (!allowed) return true;
    return Object.keys(u).some((k) => k !== 'update_id' && allowed.includes(k));
  }

  private kick(): void {
    if (this.delivering || !this.webhook || this.queue.length === 0) return;
    this.delivering = true;
    this.ctx.lifetime.spawn(
      () => this.deliverAll().finally(() => (this.delivering = false)),
      this.ctx.onInternalError,
    );
  }

  /** One update at a time, in order; a failed delivery is retried after retryMs, as Telegram keeps trying. */
  private async deliverAll(): Promise<void> {
    while (this.webhook && this.queue.length) {
      const hook = this.webhook;
      const update = this.queue[0];
      if (!this.allowed(update, hook.allowedUpdates)) {
        this.queue.shift();
        continue;
      }
      const res = await this.ctx.sender.telegram(hook.url, update, hook.secret);
      if (res.status >= 200 && res.status < 300) {
        if (this.queue[0] === update) this.queue.shift();
        this.changed();
        await this.webhookReply(res.body);
        continue;
      }
      hook.lastErrorDate = unix();
      hook.lastErrorMessage = res.status ? `Wrong response from the webhook: ${res.status}` : `Connection refused (${res.error})`;
      this.changed();
      await this.ctx.lifetime.sleep(this.ctx.options.telegram.retryMs);
    }
  }

  /** A bot may answer a webhook with a method call in the response body (telegraf's webhookReply). */
  private async webhookReply(body: string): Promise<void> {
    if (!body.trim().startsWith('{')) return;
    let payload: Params;
    try {
      payload = JSON.parse(body) as Params;
    } catch {
      return;
    }
    if (typeof payload.method !== 'string') return;
    const { method, ...params } = payload;
    try {
      await this.call(method as string, params);
    } catch {
      // The real API drops a failed webhook reply silently; the bot never learns about it either.
    }
  }

  // ---- chats --------------------------------------------------------------------------------------

  private chatOf(value: unknown): TelegramChatRecord {
    const id = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
    if (!Number.isSafeInteger(id) || id <= 0) throw new TelegramRefusal(400, 'Bad Request: chat not found');
    const b = this.ctx.state.telegramBehaviours.get(id);
    if (b?.blocked) throw new TelegramRefusal(403, 'Forbidden: bot was blocked by the user');
    if (b?.neverStarted) throw new TelegramRefusal(403, "Forbidden: bot can't initiate conversation with a user");
    return this.ensureChat(id, {});
  }

  ensureChat(chatId: number, profile: { firstName?: string; username?: string; languageCode?: string }): TelegramChatRecord {
    let chat = this.ctx.state.telegramChats.get(chatId);
    if (!chat) {
      chat = {
        chatId,
        firstName: profile.firstName ?? `Citizen ${String(chatId).slice(-4)}`,
        username: profile.username ?? null,
        languageCode: profile.languageCode ?? 'zh-hans',
        phone: null,
        callbackAnswers: [],
      };
      this.ctx.state.telegramChats.set(chatId, chat);
    }
    if (profile.firstName) chat.firstName = profile.firstName;
    if (profile.username) chat.username = profile.username;
    if (profile.languageCode) chat.languageCode = profile.languageCode;
    return chat;
  }

  private userOf(chat: TelegramChatRecord): Record<string, unknown> {
    return {
      id: chat.chatId,
      is_bot: false,
      first_name: chat.firstName,
      ...(chat.username ? { username: chat.username } : {}),
      language_code: chat.languageCode,
    };
  }

  private chatObject(chat: TelegramChatRecord): Record<string, unknown> {
    return { id: chat.chatId, first_name: chat.firstName, ...(chat.username ? { username: chat.username } : {}), type: 'private' };
  }

  private storeCitizenMessage(chat: TelegramChatRecord, content: Record<string, unknown>): TelegramMessageRecord {
    const messageId = this.nextMessageId(chat.chatId);
    const raw = { message_id: messageId, from: this.userOf(chat), chat: this.chatObject(chat), date: unix(), ...content };
    const record: TelegramMessageRecord = {
      seq: this.ctx.state.nextSeq(),
      chatId: chat.chatId,
      messageId,
      from: 'citizen',
      date: nowIso(),
      text: typeof content.text === 'string' ? content.text : null,
      parseMode: null,
      contact: null,
      inlineKeyboard: null,
      replyKeyboard: null,
      removeKeyboard: false,
      editedAt: null,
      raw,
    };
    this.ctx.state.telegramMessages.push(record);
    this.ctx.state.changed('telegram', this.keysOf(chat.chatId), String(messageId));
    return record;
  }

  private findMessage(p: Params): TelegramMessageRecord {
    const chat = this.chatOf(p.chat_id);
    const id = Number(p.message_id);
    const m = this.ctx.state.telegramMessages.find((x) => x.chatId === chat.chatId && x.messageId === id);
    if (!m) throw new TelegramRefusal(400, 'Bad Request: message to edit not found');
    return m;
  }

  private nextMessageId(chatId: number): number {
    const n = (this.messageCounters.get(chatId) ?? 0) + 1;
    this.messageCounters.set(chatId, n);
    return n;
  }

  private botMessageIds(chatId: number): string {
    const ids = this.ctx.state.telegramMessages.filter((x) => x.chatId === chatId && x.from === 'bot').map((x) => x.messageId);
    return ids.length ? ids.join(', ') : 'none';
  }

  keysOf(chatId: number): string[] {
    const phone = this.ctx.state.telegramChats.get(chatId)?.phone;
    return phone ? [`tg:${chatId}`, phone] : [`tg:${chatId}`];
  }

  private changed(): void {
    this.ctx.state.changed('telegram', [], 'webhook');
  }
}
