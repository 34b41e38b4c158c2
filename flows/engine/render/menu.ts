// The numbered answers of a prompt, as each channel words them.
import type { Expects, Prompt } from '../types';
import type { Locale } from '../vocabulary';
import { buttonData } from '../options';
import { systemText } from '../messages';

export interface MenuItem {
  key: string;
  label: string;
  data: string;
}


/** A menu's items; a button's data names the state and the key, so a tap is the option it shows, whenever it comes. */
export function menuOf(expects: Expects, locale: Locale, stateId: string): MenuItem[] {
  if (expects.kind === 'choice') return expects.options.map((o) => ({ key: o.key, label: o.label, data: buttonData(stateId, o.key) }));
  if (expects.kind === 'yes_no') {
    const [yes, no] = [systemText('menu.yes', locale), systemText('menu.no', locale)];
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

export const smsMenuLine = (locale: Locale, m: MenuItem): string => systemText('menu.sms_line', locale, { key: m.key, label: m.label });
export const voiceMenuLine = (locale: Locale, m: MenuItem): string => systemText('menu.voice_line', locale, { key: m.key, label: m.label });
