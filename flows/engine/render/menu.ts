// The numbered answers of a prompt, as each channel words them.
import type { Expects, Prompt } from '../types';
import type { Locale } from '../vocabulary';
import { buttonData } from '../options';

export interface MenuItem {
  key: string;
  label: string;
  data: string;
}

const YES_NO: Record<Locale, [string, string]> = { zh: ['是', '否'], en: ['Yes', 'No'] };

/** A menu's items; a button's data names the state and the key, so a tap is the option it shows, whenever it comes. */
export function menuOf(expects: Expects, locale: Locale, stateId: string): MenuItem[] {
  if (expects.kind === 'choice') return expects.options.map((o) => ({ key: o.key, label: o.label, data: buttonData(stateId, o.key) }));
  if (expects.kind === 'yes_no') {
    const [yes, no] = YES_NO[locale];
    return [
      { key: '1', label: yes, data: buttonData(stateId, '1') },
      { key: '2', label: no, data: buttonData(stateId, '2') },
    ];
  }
  return [];
}

export const lastMenu = (prompts: Prompt[]): MenuItem[] => {
  const last = prompts[prompts.length - 1];
  return last ? menuOf(last.expects, last.locale, last.stateId) : [];
};

export const smsMenuLine = (locale: Locale, m: MenuItem): string => (locale === 'zh' ? `回复 ${m.key}：${m.label}` : `Reply ${m.key}: ${m.label}`);
export const voiceMenuLine = (locale: Locale, m: MenuItem): string => (locale === 'zh' ? `${m.label}，请按${m.key}。` : `${m.label}: press ${m.key}.`);
