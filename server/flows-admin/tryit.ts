// "Try it": one turn of a draft flow with the real classifier. The conversation state travels with the
// request (the console holds it), so nothing is written to the database and any web process can answer.
import { applyConversationRules, chooseOption, renderPrompts, startConversation, step, type CompiledFlow, type ConversationState, type FlowContext, type FlowEvent, type Rendered, type StepResult } from '../../flows/engine';
import type { ChannelName, Locale } from '../../flows/engine/vocabulary';
import { SAMPLE_VARS_BY_LOCALE } from '../../flows/engine/template';
import type { Classification, Classifier } from '../../nlu-models/src/intents';
import { optionClassification } from '../../flows/engine/options';

export type TryInput = { text: string; digits?: string; button?: string } | { event: 'no_reply' | 'unanswered' | 'voicemail' };

export interface TryTurn {
  state: ConversationState;
  classification?: Pick<Classification, 'intent' | 'confidence' | 'cues' | 'atRisk' | 'lowConfidence' | 'payment'>;
  /** How the reply's meaning was decided: a menu option, a slot question's answer, or the classifier. */
  decidedBy?: StepResult['decidedBy'];
  transition?: string;
  /** Handoffs the server's conversation rules added (the same rules as a live conversation). */
  rules: { rule: string; reason: string }[];
  actions: StepResult['actions'];
  prompts: { stateId: string; text: string }[];
  rendered?: Rendered;
  ended: boolean;
}

export interface TryOptions {
  locale: Locale;
  channel: ChannelName;
  centre: { name: { zh: string; en: string }; callbackNumber: string };
  voices: { zh: string; en: string };
  classify: (text: string, locale: Locale) => ReturnType<Classifier['classify']>;
}

function context(o: TryOptions): FlowContext {
  return {
    channel: o.channel,
    locale: o.locale,
    vars: { ...SAMPLE_VARS_BY_LOCALE[o.locale], centre_name: o.centre.name[o.locale], callback_number: o.centre.callbackNumber },
    facts: { riskLevel: 'medium', warningCount: 1, attemptCount: 1, channel: o.channel },
  };
}

export function tryTurn(flow: CompiledFlow, state: ConversationState | undefined, input: TryInput | undefined, o: TryOptions): TryTurn {
  const ctx = context(o);
  let result: StepResult;
  let classification: TryTurn['classification'];
  let rules: TryTurn['rules'] = [];
  if (!state) {
    result = startConversation(flow, ctx);
  } else {
    // The console's draft may have been edited since the conversation began: keep stepping the same draft.
    const pinned: ConversationState = { ...state, flowId: flow.id, flowVersion: flow.version, baseVersion: flow.base?.version };
    if (!Object.hasOwn(flow.states, pinned.stateId)) pinned.stateId = flow.start;
    let event: FlowEvent;
    if (!input || 'event' in input) event = { type: input?.event ?? 'no_reply' };
    else {
      // As in a live conversation: options first, then the classifier.
      const chosen = chooseOption(flow, pinned, { text: input.text, digits: input.digits, button: input.button });
      const c = chosen ? optionClassification(chosen, o.locale) : o.classify(input.text, o.locale);
      classification = { intent: c.intent, confidence: c.confidence, cues: c.cues, atRisk: c.atRisk, lowConfidence: c.lowConfidence, payment: c.payment };
      event = {
        type: 'reply',
        intent: c.intent,
        confidence: c.confidence,
        lowConfidence: c.lowConfidence,
        text: input.text,
        ...(input.digits ? { digits: input.digits } : {}),
        ...(input.button ? { button: input.button } : {}),
        ...(chosen ? { option: chosen } : {}),
        payment: c.payment,
      };
    }
    const stepped = step(flow, pinned, event, ctx);
    const ruled = applyConversationRules(stepped, stepped.intent ? { intent: stepped.intent } : undefined, ctx);
    rules = ruled.ruled.map((r) => ({ rule: r.rule, reason: r.reason }));
    result = ruled;
  }
  const rendered = result.prompts.length
    ? renderPrompts(result.prompts, o.channel, {
        hangup: result.hangup || result.state.ended,
        voice: { gatherActionUrl: 'https://quanzu.example/webhooks/twilio/voice/gather', voice: o.voices[o.locale] },
      })
    : undefined;
  return {
    state: result.state,
    classification,
    ...(result.decidedBy ? { decidedBy: result.decidedBy } : {}),
    transition: result.transition,
    rules,
    actions: result.actions,
    prompts: result.prompts.map((p) => ({ stateId: p.stateId, text: p.text })),
    rendered,
    ended: result.state.ended,
  };
}
