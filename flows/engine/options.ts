// Options first: a reply that is one of the menu's keys — a key pressed on a call, "2", "２", "二",
// "选2" or "2." by SMS, a Telegram button — is the person's own choice. It is taken as that option
// before any classification, and recorded as coming from the option.
import { isAtRisk, type Classification, type Intent, type NluLocale } from '../../nlu-models/src/intents';
import type { CompiledFlow, CompiledState } from './compiled';
import { INTENTS } from '../../nlu-models/src/intents';
import type { ConversationState } from './types';

/** A pressed 0 reaches a human on any call menu that does not use 0 itself. */
export const HUMAN_KEY = '0';

export type OptionVia = 'keys' | 'text' | 'button';

export interface ChosenOption {
  key: string;
  intent: Intent;
  /** The state whose menu it was. */
  stateId: string;
  via: OptionVia;
}

export interface ReplyInput {
  /** Keys pressed on a call (DTMF). */
  digits?: string;
  /** Telegram button data: "<state>:<key>" (older messages: a key or an intent name). */
  button?: string;
  /** What the person wrote or said. */
  text?: string;
}

/** The answers a state's menu offers, by key. */
export function menuKeys(s: CompiledState): Map<string, Intent> {
  const keys = new Map<string, Intent>();
  const d = s.def;
  const kind = d.expects ?? (d.options?.length ? 'choice' : 'free');
  if (kind === 'choice') for (const o of d.options ?? []) keys.set(o.key, o.intent);
  if (kind === 'yes_no') {
    if (d.yes) keys.set('1', d.yes);
    if (d.no) keys.set('2', d.no);
  }
  return keys;
}

/** The Telegram button data for an option of a state. */
export const buttonData = (stateId: string, key: string): string => `${stateId}:${key}`;

const ZH_DIGITS: Record<string, string> = { 零: '0', 〇: '0', 一: '1', 壹: '1', 二: '2', 贰: '2', 两: '2', 三: '3', 叁: '3', 四: '4', 肆: '4', 五: '5', 伍: '5', 六: '6', 陆: '6', 七: '7', 柒: '7', 八: '8', 捌: '8', 九: '9', 玖: '9' };
const PREFIX = /^(?:我选择?|选择?|回复|回|按键?|第|option|choice|reply|press|no\.?|number|#)\s*/i;
const SUFFIX = /\s*(?:号|项|个|[.。、,，:：)）!！]|\s)*$/;

/**
 * The key a short written reply names, if it is nothing but a key: "2", "２", "二", "选2", "2.", "（2）",
 * "reply 2". "2万" or "I paid 2 times" name no key.
 */
export function keyInText(text: string): string | undefined {
  let t = text.normalize('NFKC').trim().replace(/^[(（[【]\s*/, '');
  t = t.replace(PREFIX, '').replace(SUFFIX, '');
  if (t.length !== 1) return undefined;
  const d = ZH_DIGITS[t] ?? t;
  return /^[0-9]$/.test(d) ? d : undefined;
}

/**
 * The option a reply chooses, or undefined when it is free text for the classifier. `state` is the
 * conversation the person is answering (undefined when none is running: then only a button, which names
 * its own menu, can be an option).
 */
export function chooseOption(flow: CompiledFlow, state: ConversationState | undefined, input: ReplyInput): ChosenOption | undefined {
  const current = state && !state.ended ? flow.states[state.stateId] : undefined;
  const fromMenu = (s: CompiledState | undefined, key: string, via: OptionVia): ChosenOption | undefined => {
    const intent = s ? menuKeys(s).get(key) : undefined;
    return intent && s ? { key, intent, stateId: s.id, via } : undefined;
  };
  const digits = input.digits?.trim();
  if (digits && current) {
    return fromMenu(current, digits, 'keys') ?? (digits === HUMAN_KEY ? { key: HUMAN_KEY, intent: 'request_human', stateId: current.id, via: 'keys' } : undefined);
  }
  const button = input.button?.trim();
  if (button) {
    const at = button.lastIndexOf(':');
    if (at > 0) return fromMenu(flow.states[button.slice(0, at)], button.slice(at + 1), 'button');
    const legacy = fromMenu(current, button, 'button');
    if (legacy) return legacy;
    if ((INTENTS as readonly string[]).includes(button) && current) return { key: button, intent: button as Intent, stateId: current.id, via: 'button' };
    return undefined;
  }
  if (input.text !== undefined && current) {
    const key = keyInText(input.text);
    return key === undefined ? undefined : fromMenu(current, key, 'text');
  }
  return undefined;
}

/** What the transcript records for a reply that chose an option: the option's intent, certain, and where it came from. */
export function optionClassification(chosen: ChosenOption, locale: NluLocale): Classification & { option: ChosenOption } {
  return {
    intent: chosen.intent,
    confidence: 1,
    atRisk: isAtRisk(chosen.intent),
    locale,
    cues: [],
    lowConfidence: false,
    payment: { amounts: [], methods: [], times: [], accounts: [] },
    modelVersion: 'option',
    option: chosen,
  };
}
