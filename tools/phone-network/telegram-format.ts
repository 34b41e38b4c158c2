// What the Bot API checks in a message before accepting it: parse_mode syntax, text length, keyboards.
import type { TelegramButton } from './types';

export class TelegramRefusal extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
    this.name = 'TelegramRefusal';
  }
}

const HTML_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const HTML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const MDV2_ALWAYS_RESERVED = '#+-={}.!';
const MDV2_MARKUP = '_*[]()~`>|\\';

/** The text a citizen sees, after the Bot API parses the markup; throws like the API on bad markup. */
export function renderText(text: string, parseMode: string | null): string {
  if (!parseMode) return text;
  if (parseMode === 'HTML') return renderHtml(text);
  if (parseMode === 'MarkdownV2') return renderMarkdownV2(text);
  if (parseMode === 'Markdown') return text.replace(/[*_`[\]]/g, '');
  throw new TelegramRefusal(400, 'Bad Request: unsupported parse_mode');
}

function renderHtml(text: string): string {
  let out = '';
  const bytes = (upTo: number): number => Buffer.byteLength(text.slice(0, upTo));
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) throw new TelegramRefusal(400, `Bad Request: can't parse entities: Unclosed start tag at byte offset ${bytes(i)}`);
      const inner = text.slice(i + 1, end).trim();
      const name = (inner.startsWith('/') ? inner.slice(1) : inner).split(/\s/)[0].toLowerCase();
      if (!HTML_TAGS.has(name))
        throw new TelegramRefusal(400, `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${bytes(i)}`);
      i = end;
    } else if (c === '&') {
      const end = text.indexOf(';', i);
      const name = end < 0 ? '' : text.slice(i + 1, end);
      if (name in HTML_ENTITIES) {
        out += HTML_ENTITIES[name];
        i = end;
      } else if (name.startsWith('#')) {
        out += String.fromCodePoint(name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10));
        i = end;
      } else out += c; // Telegram keeps a lone '&' as text
    } else out += c;
  }
  return out;
}

function renderMarkdownV2(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      out += text[i + 1] ?? '';
      i++;
    } else if (MDV2_ALWAYS_RESERVED.includes(c)) {
      throw new TelegramRefusal(400, `Bad Request: can't parse entities: Character '${c}' is reserved and must be escaped with the preceding '\\'`);
    } else if (!MDV2_MARKUP.includes(c)) out += c;
  }
  return out;
}

export interface ParsedMarkup {
  inlineKeyboard: TelegramButton[][] | null;
  replyKeyboard: TelegramButton[][] | null;
  removeKeyboard: boolean;
  raw: Record<string, unknown> | null;
}

export function parseReplyMarkup(value: unknown): ParsedMarkup {
  const none: ParsedMarkup = { inlineKeyboard: null, replyKeyboard: null, removeKeyboard: false, raw: null };
  if (value === undefined || value === null || value === '') return none;
  let markup: Record<string, unknown>;
  try {
    markup = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown>;
  } catch {
    throw new TelegramRefusal(400, "Bad Request: can't parse reply keyboard markup JSON object");
  }
  if (Array.isArray(markup.inline_keyboard)) {
    const rows = (markup.inline_keyboard as unknown[]).map((row) => {
      if (!Array.isArray(row)) throw new TelegramRefusal(400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
      return row.map((b: Record<string, unknown>) => {
        if (typeof b?.text !== 'string' || !b.text) throw new TelegramRefusal(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
        if (typeof b.callback_data === 'string') {
          const size = Buffer.byteLength(b.callback_data);
          if (size < 1 || size > 64) throw new TelegramRefusal(400, 'Bad Request: BUTTON_DATA_INVALID');
          return { text: b.text, callbackData: b.callback_data };
        }
        if (typeof b.url === 'string') return { text: b.text, url: b.url };
        throw new TelegramRefusal(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      });
    });
    return { ...none, inlineKeyboard: rows, raw: markup };
  }
  if (Array.isArray(markup.keyboard)) {
    const rows = (markup.keyboard as unknown[][]).map((row) =>
      row.map((b) =>
        typeof b === 'string'
          ? { text: b }
          : { text: String((b as Record<string, unknown>).text ?? ''), requestContact: (b as Record<string, unknown>).request_contact === true },
      ),
    );
    return { ...none, replyKeyboard: rows, raw: markup };
  }
  if (markup.remove_keyboard === true) return { ...none, removeKeyboard: true, raw: markup };
  return { ...none, raw: markup };
}
