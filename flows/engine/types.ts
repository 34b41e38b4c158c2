// The engine's public contract with the server: what goes into a step and what comes out.
import type { Intent, PaymentDetails } from '../../nlu-models/src/intents';
import type { ChannelName, HandoffReason, Locale, Outcome, RiskLevel } from './vocabulary';
import type { ChosenOption } from './options';

export interface FlowFacts {
  riskLevel: RiskLevel;
  warningCount: number;
  /** Contact attempts made so far for this case, including the current one. */
  attemptCount: number;
  channel: ChannelName;
}

export interface FlowContext {
  channel: ChannelName;
  locale: Locale;
  /** Template values; the server always provides name, amount, centre_name, callback_number, case_ref, scam_type, precinct, relative_relation. */
  vars: Record<string, string | number | undefined>;
  facts: FlowFacts;
}

export type FlowEvent =
  | {
      type: 'reply';
      intent: Intent;
      confidence: number;
      lowConfidence: boolean;
      text: string;
      /** DTMF key(s) pressed on voice; a menu key overrides the classified intent. */
      digits?: string;
      /** Telegram button data ("<state>:<key>", or from older messages a key or an intent name); overrides the classified intent. */
      button?: string;
      /** The option the reply chose, when the caller already matched it (chooseOption); else the step matches digits, button and text itself. */
      option?: ChosenOption;
      payment?: PaymentDetails;
    }
  | { type: 'no_reply' }
  | { type: 'unanswered' }
  | { type: 'voicemail' };

export interface ConversationState {
  schemaVersion: 1;
  flowId: string;
  flowVersion: number;
  /** For a flow that extends another: the base version it was resolved against when the conversation began. */
  baseVersion?: number;
  stateId: string;
  /** Replies processed so far. */
  turns: number;
  /** Entries per state, re-prompts included. */
  visits: Record<string, number>;
  lowConfidenceCount: number;
  slots: Record<string, string>;
  ended: boolean;
  outcome?: Outcome;
  /** Handoff reasons already emitted: a repeated handoff with the same reason is not emitted twice. */
  handoffs?: HandoffReason[];
}

export type ChoiceOption = { key: string; label: string; intent: Intent };

export type Expects =
  | { kind: 'free' }
  | { kind: 'yes_no'; yes?: Intent; no?: Intent }
  | { kind: 'choice'; options: ChoiceOption[] };

export interface Prompt {
  flowId: string;
  flowVersion: number;
  stateId: string;
  locale: Locale;
  text: string;
  expects: Expects;
  hints?: string[];
  /** True when nothing more will be asked in this contact (voice hangs up after it). */
  final?: boolean;
}

export type FlowAction =
  | { type: 'handoff'; reason: HandoffReason; priority?: number; note?: string }
  | { type: 'collect_slot'; slot: string; value?: string }
  | { type: 'schedule_callback'; afterMinutes: number }
  | { type: 'contact_relative' }
  | { type: 'end'; outcome: Outcome };

export interface StepResult {
  state: ConversationState;
  prompts: Prompt[];
  actions: FlowAction[];
  waitFor?: { noReplyAfterSeconds: number };
  /** True when the channel should close this contact after the prompts (voice: <Hangup/>). */
  hangup?: boolean;
  /** Which transition fired, e.g. "greet.on.already_paid[0]"; used for flow-test coverage and logs. */
  transition?: string;
  /** For a reply: the intent the flow acted on, and how it was decided (a menu option, a slot question answered, the classifier). */
  intent?: Intent;
  decidedBy?: 'option' | 'slot' | 'classifier';
  option?: ChosenOption;
}

export interface CheckIssue {
  severity: 'error' | 'warning';
  file: string;
  /** 1-based line in the file, when known. */
  line?: number;
  state?: string;
  rule: string;
  message: string;
  fix: string;
}
