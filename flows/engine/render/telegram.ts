import type { Prompt } from '../types';
import { lastMenu } from './menu';

export const TELEGRAM_MAX_CHARS = 4096;

/** Text plus one inline button per answer; button data is the intent the answer means. */
export function renderTelegram(prompts: Prompt[]): { channel: 'telegram'; text: string; buttons: { text: string; data: string }[][] } {
  const text = prompts
    .map((p) => p.text.trim())
    .filter(Boolean)
    .join('\n\n');
  const buttons = lastMenu(prompts).map((m) => [{ text: m.label, data: m.data }]);
  return { channel: 'telegram', text: [...text].slice(0, TELEGRAM_MAX_CHARS).join(''), buttons };
}
