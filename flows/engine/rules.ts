// The server's conversation rules, in one place: what must happen after any step whatever the script
// says. The live conversation (server/cases/conversation.ts), the managers' try-it
// (server/flows-admin/tryit.ts) and the property test all apply this same function, so a manager trying
// a draft sees what a citizen would get.
import { isAtRisk, type Intent } from '../../nlu-models/src/intents';
import { handoffPriority } from './step';
import type { FlowAction, FlowContext, StepResult } from './types';
import type { HandoffReason } from './vocabulary';

/** How many replies not understood (low confidence) reach a human. */
export const UNCLEAR_REPLIES_FOR_HUMAN = 2;

export const CONVERSATION_RULES = {
  at_risk: 'at-risk reply; the flow did not hand off',
  asked_for_human: 'asked for a human; the flow did not hand off',
  unclear_twice: `${UNCLEAR_REPLIES_FOR_HUMAN} replies not understood; the flow did not hand off`,
} as const;
export type ConversationRule = keyof typeof CONVERSATION_RULES;

/** A handoff added by a rule says which rule. */
export type RuleHandoff = Extract<FlowAction, { type: 'handoff' }> & { rule: ConversationRule };

/**
 * The step's result with the rules applied, for a step caused by a reply (`intent`: what the flow acted
 * on — the option chosen, else the classifier's intent):
 * - an at-risk reply (still in the scam, already paid) always reaches a human;
 * - asking for a human always reaches one;
 * - two replies not understood reach a human, unless one already has the conversation.
 */
export function applyConversationRules(result: StepResult, reply: { intent: Intent } | undefined, ctx: FlowContext): StepResult & { ruled: RuleHandoff[] } {
  const ruled: RuleHandoff[] = [];
  if (!reply) return { ...result, ruled };
  const handsOff = result.actions.some((a) => a.type === 'handoff');
  const add = (reason: HandoffReason, rule: ConversationRule) => ruled.push({ type: 'handoff', reason, priority: handoffPriority(reason, ctx), note: CONVERSATION_RULES[rule], rule });
  if (!handsOff) {
    if (isAtRisk(reply.intent)) add(reply.intent as HandoffReason, 'at_risk');
    else if (reply.intent === 'request_human') add('request_human', 'asked_for_human');
    else if (result.state.lowConfidenceCount >= UNCLEAR_REPLIES_FOR_HUMAN && !(result.state.handoffs ?? []).length) add('low_confidence', 'unclear_twice');
  }
  if (!ruled.length) return { ...result, ruled };
  const handoffs = [...(result.state.handoffs ?? [])];
  for (const h of ruled) if (!handoffs.includes(h.reason)) handoffs.push(h.reason);
  return { ...result, state: { ...result.state, handoffs }, actions: [...result.actions, ...ruled], ruled };
}
