// A small valid flow for the engine and checker tests; tests break it one rule at a time.
import type { FlowContext } from '../../../flows/engine';

export const MINI = `
id: mini
version: 1
title: Mini
locales: [zh, en]
start: greet
limits: { maxTurns: 5 }
on:
  already_paid: { target: human, actions: [{ type: handoff, reason: already_paid }] }
  mid_scam: { target: human, actions: [{ type: handoff, reason: mid_scam }] }
  request_human: human
  turn_limit: human
  low_confidence:
    - guard: { type: low_confidence_at_least, count: 2 }
      target: human
    - say: { zh: "没听清。", en: "Sorry?" }
default: greet
states:
  greet:
    say: { zh: "{name}您好，我们不会让您转账或索要验证码。您转过钱吗？", en: "Hello {name}, we never ask for money or a code. Have you paid?" }
    reprompt: { zh: "您转过钱吗？", en: "Have you paid?" }
    options:
      - { key: '1', intent: safe_aware, label: { zh: "没有", en: "No" } }
      - { key: '2', intent: already_paid, label: { zh: "转了", en: "Yes" } }
    hints: { zh: ["没有", "转了"], en: ["no", "yes"] }
    on:
      safe_aware: done
  done:
    say: { zh: "好的，再见。", en: "Good, goodbye." }
    entry: [{ type: end, outcome: safe_aware }]
  human:
    say: { zh: "民警马上联系您。", en: "An officer will contact you." }
    entry: [{ type: handoff, reason: request_human }]
    hangup: true
    default: {}
`;

export function ctx(over: Partial<FlowContext> = {}): FlowContext {
  return {
    channel: 'sms',
    locale: 'zh',
    vars: { name: '王芳', centre_name: '市反诈中心', callback_number: '96110', case_ref: 'QZ-1' },
    facts: { riskLevel: 'medium', warningCount: 1, attemptCount: 1, channel: 'sms' },
    ...over,
  };
}

export const reply = (intent: string, extra: Record<string, unknown> = {}) =>
  ({ type: 'reply', intent, confidence: 0.9, lowConfidence: false, text: '', ...extra }) as never;
