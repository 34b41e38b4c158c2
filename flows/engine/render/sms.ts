import type { Prompt } from '../types';
import { lastMenu, smsMenuLine } from './menu';
import { countSegments } from './segments';

/** One SMS for the prompts of one turn; the menu of the last prompt as "reply 1 …" lines. */
export function renderSms(prompts: Prompt[]): { channel: 'sms'; text: string; segments: number } {
  const locale = prompts[prompts.length - 1]?.locale ?? 'zh';
  const lines = prompts.map((p) => p.text.trim()).filter(Boolean);
  const menu = lastMenu(prompts).map((m) => smsMenuLine(locale, m));
  const text = [...lines, ...menu].join('\n');
  return { channel: 'sms', text, segments: countSegments(text).segments };
}
