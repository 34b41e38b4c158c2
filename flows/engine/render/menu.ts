// The numbered answers of a prompt, as each channel words them.
import type { Expects, Prompt } from '../types';
import type { Locale } from '../vocabulary';

export interface MenuItem {
  key: string;
  label: string;
  data: string;
}

const YES_NO: Record<Locale, [string, string]> = { zh: ['是', '否'], en: ['Yes', 'No'] };

export function menuOf(expects: Expects, locale: Locale): MenuItem[] {
  if (expects.kind === 'choice') return expects.options.map((o) => ({ key: o.key, label: o.label, data: o.intent }));
  if (expects.kind === 'yes_no') {
    const [yes, no] = YES_NO[locale];
    return [
      { key: '1', label: yes, data: expects.yes ?? '1' },
      { key: '2', label: no, data: expects.no ?? '2' },
    ];
  }
  return [];
}

export const lastMenu = (prompts: Prompt[]): MenuItem[] => {
  const last = prompts[prompts.length - 1];
  return last ? menuOf(last.expects, last.locale) : [];
};

export const smsMenuLine = (locale: Locale, m: MenuItem): string => (locale === 'zh' ? `回复 ${m.key}：${m.label}` : `Reply ${m.key}: ${m.label}`);
export const voiceMenuLine = (locale: Locale, m: MenuItem): string => (locale === 'zh' ? `${m.label}，请按${m.key}。` : `${m.label}: press ${m.key}.`);
