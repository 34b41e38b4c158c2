import type { Prompt } from '../types';
import type { ChannelName } from '../vocabulary';
import { renderSms } from './sms';
import { renderTelegram } from './telegram';
import { renderVoice, type VoiceRenderOptions } from './voice';

export type Rendered =
  | { channel: 'sms'; text: string; segments: number }
  | { channel: 'telegram'; text: string; buttons: { text: string; data: string }[][] }
  | { channel: 'voice'; twiml: string };

/**
 * The prompts of one turn as one message (SMS, Telegram) or one TwiML document (voice).
 * Voice hangs up when opts.hangup is set, when the last prompt is final, or when no gather URL is given.
 */
export function renderPrompts(prompts: Prompt[], channel: ChannelName, opts?: { voice?: VoiceRenderOptions; hangup?: boolean }): Rendered {
  const hangup = opts?.hangup ?? Boolean(prompts[prompts.length - 1]?.final);
  if (channel === 'sms') return renderSms(prompts);
  if (channel === 'telegram') return renderTelegram(prompts);
  return renderVoice(prompts, opts?.voice, hangup);
}

export type { VoiceRenderOptions };
