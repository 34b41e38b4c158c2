// The flows engine's public surface, as the server uses it.
export type { ChannelName, HandoffReason, Locale, Outcome, RiskLevel, ScamType } from './vocabulary';
export type {
  CheckIssue,
  ChoiceOption,
  ConversationState,
  Expects,
  FlowAction,
  FlowContext,
  FlowEvent,
  FlowFacts,
  Prompt,
  StepResult,
} from './types';
export type { CompiledFlow, CompiledState, CompiledTransition } from './compiled';
export type { FlowDef } from './schema';
export { FlowStepError } from './errors';
export { parseFlow, loadFlowsDir, flowSourcesIn, FLOWS_DIR, type ParseOptions } from './parse';
export type { BaseLookup, FlowSource, Inheritance, StateOrigin } from './extends';
export { checkFlow } from './checker';
export { startConversation, step, promptVars, handoffPriority } from './step';
export { applyConversationRules, CONVERSATION_RULES, UNCLEAR_REPLIES_FOR_HUMAN, type ConversationRule, type RuleHandoff } from './rules';
export { chooseOption, keyInText, HUMAN_KEY, type ChosenOption, type ReplyInput } from './options';
export { renderPrompts, type Rendered, type VoiceRenderOptions } from './render';
export { countSegments } from './render/segments';
export { loadPolicy, parsePolicy, checkPolicy, planTriage, quietWindowEnd, PolicyError, POLICY_FILE, CONTACT_CHANNELS, QUIET_HOLDS, type ContactChannel, type EscalationTier, type Policy, type QuietHold, type Rung, type TriageInput, type TriagePlan } from './policy';
export { TEMPLATE_VARS } from './template';

/** The flow that asks a relative to check on an unreachable person. */
export const RELATIVE_FLOW_ID = 'relative';
/** The flow for citizens who call or write back on their own. */
export const RETURN_CONTACT_FLOW_ID = 'return_contact';
export { systemText, catalogue, caseLocale, MESSAGE_IDS, type MessageId } from './messages';
