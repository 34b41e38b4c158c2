// Telegram through telegraf: the bot object and the outbound channel.
import { Telegraf } from 'telegraf';
import type { Delivery, MessageChannel, SentMessage } from './channel';
import { ChannelError } from './channel';

export function createTelegramBot(token: string, apiRoot?: string): Telegraf {
  return new Telegraf(token, { telegram: { ...(apiRoot ? { apiRoot } : {}), webhookReply: false } });
}

export class TelegramChannel implements MessageChannel {
  readonly name = 'telegram' as const;
  constructor(private readonly bot: Telegraf) {}

  async send(d: Delivery): Promise<SentMessage> {
    if (d.rendered.channel !== 'telegram') throw new Error(`TelegramChannel cannot send a ${d.rendered.channel} rendering`);
    const { text, buttons } = d.rendered;
    try {
      const m = await this.bot.telegram.sendMessage(d.to, text, buttons.length ? { reply_markup: { inline_keyboard: buttons.map((row) => row.map((b) => ({ text: b.text, callback_data: b.data.slice(0, 64) }))) } } : {});
      return { providerId: `${m.chat.id}:${m.message_id}`, status: 'sent' };
    } catch (err) {
      throw toTelegramError(err);
    }
  }
}

export function toTelegramError(err: unknown): ChannelError {
  const e = err as { response?: { error_code?: number; description?: string }; message?: string };
  const code = e?.response?.error_code;
  // 400 chat not found / 403 bot blocked are permanent; 429 and 5xx and network errors are worth retrying.
  const permanent = code === 400 || code === 403 || code === 401;
  return new ChannelError('telegram', `Telegram: ${e?.response?.description ?? e?.message ?? String(err)}`, code ? String(code) : 'network', permanent, code);
}
