// The pure step: (flow version, conversation state, event) → (new state, prompts, actions). No I/O.
import { INTENTS, isAtRisk, type Intent } from '../../nlu-models/src/intents';
import { chainFor, type CompiledFlow, type CompiledState, type CompiledTransition } from './compiled';
import { FlowStepError } from './errors';
import { GUARD_IMPL, type GuardName } from './registry';
import type { ActionRef, LocaleText, Trigger } from './schema';
import { fillTemplate } from './template';
import { textFor } from './texts';
import { chooseOption, type ChosenOption } from './options';
import { answerFor, heardSlots } from './slots';
import type { ConversationState, Expects, FlowAction, FlowContext, FlowEvent, Prompt, StepResult } from './types';
import { HANDOFF_PRIORITIES, type ChannelName, type HandoffReason } from './vocabulary';

export { HUMAN_KEY } from './options';
const DEFAULT_NO_REPLY_SECONDS: Record<ChannelName, number> = { voice: 10, sms: 1800, telegram: 1800 };

type Acc = { state: ConversationState; prompts: Prompt[]; actions: FlowAction[] };
type Reply = Extract<FlowEvent, { type: 'reply' }>;

export function startConversation(flow: CompiledFlow, ctx: FlowContext): StepResult {
  const acc: Acc = {
    state: {
      schemaVersion: 1,
      flowId: flow.id,
      flowVersion: flow.version,
      ...(flow.base ? { baseVersion: flow.base.version } : {}),
      stateId: flow.start,
      turns: 0,
      visits: {},
      lowConfidenceCount: 0,
      slots: {},
      ended: false,
      handoffs: [],
    },
    prompts: [],
    actions: [],
  };
  enter(flow, acc, flow.start, ctx, undefined);
  return finish(flow, acc, ctx, true);
}

export function step(flow: CompiledFlow, state: ConversationState, event: FlowEvent, ctx: FlowContext): StepResult {
  if (state.flowId !== flow.id || state.flowVersion !== flow.version || state.baseVersion !== flow.base?.version) {
    const pinned = (id: string, v: number, b?: number) => `${id} v${v}${b !== undefined ? ` (base v${b})` : ''}`;
    throw new FlowStepError(
      `conversation is pinned to flow ${pinned(state.flowId, state.flowVersion, state.baseVersion)} but was stepped on ${pinned(flow.id, flow.version, flow.base?.version)}: load that version`,
      state.flowId,
      state.flowVersion,
      state.stateId,
    );
  }
  const current = flow.states[state.stateId];
  if (!current) {
    throw new FlowStepError(`state '${state.stateId}' does not exist in flow ${flow.id} v${flow.version}`, state.flowId, state.flowVersion, state.stateId);
  }
  const acc: Acc = {
    state: { ...state, visits: { ...state.visits }, slots: { ...state.slots }, handoffs: [...(state.handoffs ?? [])] },
    prompts: [],
    actions: [],
  };
  if (state.ended) {
    // Nothing more to say; the reply's meaning still counts for the server's rules (an at-risk reply after the end).
    if (event.type !== 'reply') return { state: acc.state, prompts: [], actions: [] };
    const chosen = event.option ?? chooseOption(flow, undefined, { button: event.button });
    return { state: acc.state, prompts: [], actions: [], ...decided(event, chosen) };
  }

  let reply: Reply | undefined;
  let candidates: Trigger[];
  let chosen: ChosenOption | undefined;
  if (event.type === 'reply') {
    // Options first: a key, a button or a reply that names a key is the person's own choice.
    chosen = event.option ?? chooseOption(flow, state, { digits: event.digits, button: event.button, text: event.text });
    reply = chosen ? { ...event, intent: chosen.intent, confidence: 1, lowConfidence: false, option: chosen } : event;
    acc.state.turns += 1;
    // Then the question's own slot: "昨天晚上八点" answers "when did you pay?", whatever its intent.
    const asked = chosen ? undefined : current.def.asks;
    const answer = asked ? answerFor(asked, reply.text, reply.payment) : undefined;
    if (asked && answer !== undefined) {
      setSlot(acc, asked, answer);
      const t = (current.default ?? []).find((c) => guardHolds(c, acc.state, ctx));
      if (t) {
        // The answer stands as read; the transition's own collect_slot for it would only re-read it.
        take(flow, acc, current, { ...t, actions: t.actions.filter((a) => !(a.type === 'collect_slot' && a.slot === asked)) }, ctx, reply, true);
        return { ...finish(flow, acc, ctx, true), transition: t.id, decidedBy: 'slot', intent: reply.intent };
      }
    }
    if (reply.lowConfidence) acc.state.lowConfidenceCount += 1;
    candidates = triggersFor(flow, acc.state, reply);
  } else {
    if (event.type === 'no_reply') acc.state.turns += 1;
    const overLimit = event.type === 'no_reply' && isOverTurnLimit(flow, acc.state);
    candidates = overLimit ? ['turn_limit', event.type] : [event.type];
  }

  for (const trigger of candidates) {
    const chain = chainFor(flow, current, trigger, isIntent(trigger));
    const t = chain.find((c) => guardHolds(c, acc.state, ctx));
    if (!t) continue;
    take(flow, acc, current, t, ctx, reply, event.type === 'reply' || event.type === 'no_reply');
    return { ...finish(flow, acc, ctx, event.type !== 'unanswered'), transition: t.id, ...decided(reply, chosen) };
  }

  if (reply) {
    // Nothing in the flow matched a reply: never leave the person without a human.
    handoff(acc, ctx, { reason: 'flow_error', note: `no transition for '${reply.intent}' in state '${current.id}'` });
    return { ...finish(flow, acc, ctx, false), transition: 'engine.no_transition', ...decided(reply, chosen) };
  }
  return { state: acc.state, prompts: [], actions: [] };
}

const isIntent = (t: string): t is Intent => (INTENTS as readonly string[]).includes(t);

function isOverTurnLimit(flow: CompiledFlow, state: ConversationState): boolean {
  const max = flow.def.limits?.maxTurns;
  return max !== undefined && state.turns > max;
}

/** At-risk intents are routed even when unsure: a needless handoff costs minutes, a missed one costs savings. */
function triggersFor(flow: CompiledFlow, state: ConversationState, reply: Reply): Trigger[] {
  if (isAtRisk(reply.intent)) return [reply.intent];
  if (isOverTurnLimit(flow, state)) return ['turn_limit', reply.intent];
  if (reply.lowConfidence) return ['low_confidence', reply.intent];
  return [reply.intent];
}

/** How a reply's meaning was decided, for the transcript. */
function decided(reply: Reply | undefined, chosen: ChosenOption | undefined): Pick<StepResult, 'decidedBy' | 'option' | 'intent'> {
  if (!reply) return {};
  return chosen ? { decidedBy: 'option', option: chosen, intent: chosen.intent } : { decidedBy: 'classifier', intent: reply.intent };
}

function guardHolds(t: CompiledTransition, state: ConversationState, ctx: FlowContext): boolean {
  if (!t.guard) return true;
  const { type, ...params } = t.guard;
  const impl = GUARD_IMPL[type as GuardName] as (p: unknown, i: { ctx: FlowContext; state: ConversationState }) => boolean;
  return impl(params, { ctx, state });
}

function take(flow: CompiledFlow, acc: Acc, current: CompiledState, t: CompiledTransition, ctx: FlowContext, reply: Reply | undefined, askAgain: boolean) {
  for (const a of t.actions) run(acc, a, ctx, reply);
  // Every reply fills the payment slots it mentions (before the next state, which may then be skipped).
  for (const [slot, value] of Object.entries(heardSlots(reply?.payment))) if (!acc.state.slots[slot]) setSlot(acc, slot, value);
  if (t.say) acc.prompts.push(prompt(flow, current, t.say, ctx, { kind: 'free' }));
  if (acc.state.ended && !t.target) return;
  if (t.target) enter(flow, acc, t.target, ctx, current.id);
  else if (askAgain) {
    acc.state.visits[current.id] = (acc.state.visits[current.id] ?? 0) + 1;
    acc.prompts.push(prompt(flow, current, current.def.reprompt ?? current.def.say, ctx, expectsOf(current, ctx.locale, ctx.channel)));
  }
}

function enter(flow: CompiledFlow, acc: Acc, stateId: string, ctx: FlowContext, from: string | undefined, skipped = 0) {
  const s = flow.states[stateId];
  if (!s) throw new FlowStepError(`transition to unknown state '${stateId}' in flow ${flow.id} v${flow.version}`, flow.id, flow.version, from ?? stateId);
  // A question whose answer is already known is not asked: go on as if it had been answered.
  if (s.def.asks && acc.state.slots[s.def.asks] && skipped < Object.keys(flow.states).length) {
    const t = (s.default ?? []).find((c) => guardHolds(c, { ...acc.state, stateId }, ctx));
    if (t?.target) {
      for (const a of t.actions) run(acc, a, ctx, undefined);
      if (t.say) acc.prompts.push(prompt(flow, s, t.say, ctx, { kind: 'free' }));
      return enter(flow, acc, t.target, ctx, stateId, skipped + 1);
    }
  }
  const again = (acc.state.visits[stateId] ?? 0) > 0 && from === stateId;
  acc.state.stateId = stateId;
  acc.state.visits[stateId] = (acc.state.visits[stateId] ?? 0) + 1;
  for (const a of s.entry) run(acc, a, ctx, undefined);
  const text = again && s.def.reprompt ? s.def.reprompt : s.def.say;
  acc.prompts.push(prompt(flow, s, text, ctx, s.final ? { kind: 'free' } : expectsOf(s, ctx.locale, ctx.channel)));
}

function run(acc: Acc, a: ActionRef, ctx: FlowContext, reply: Reply | undefined) {
  switch (a.type) {
    case 'handoff':
      return handoff(acc, ctx, a as Extract<FlowAction, { type: 'handoff' }>);
    case 'collect_slot': {
      const slot = String(a.slot);
      const value = slotValue(slot, a.from === 'payment' ? 'payment' : 'reply', reply);
      if (value === undefined) return;
      setSlot(acc, slot, value);
      return;
    }
    case 'schedule_callback':
      acc.actions.push({ type: 'schedule_callback', afterMinutes: Number(a.afterMinutes) });
      return;
    case 'contact_relative':
      acc.actions.push({ type: 'contact_relative' });
      return;
    case 'end':
      acc.state.ended = true;
      acc.state.outcome = a.outcome as ConversationState['outcome'];
      acc.actions.push({ type: 'end', outcome: acc.state.outcome! });
      return;
    default:
      // The loader rejects unknown names; reaching here means an unchecked flow was stepped.
      throw new Error(`unknown action '${a.type}'`);
  }
}

function setSlot(acc: Acc, slot: string, value: string) {
  if (acc.state.slots[slot] === value) return;
  acc.state.slots[slot] = value;
  acc.actions.push({ type: 'collect_slot', slot, value });
}

function handoff(acc: Acc, ctx: FlowContext, a: { reason: HandoffReason; priority?: number; note?: string }) {
  const done = acc.state.handoffs ?? (acc.state.handoffs = []);
  if (done.includes(a.reason)) return;
  done.push(a.reason);
  const action: FlowAction = { type: 'handoff', reason: a.reason, priority: a.priority ?? handoffPriority(a.reason, ctx) };
  if (a.note) action.note = a.note;
  acc.actions.push(action);
}

/** A handoff's priority when the flow names none: by reason (and risk, for the unreachable). */
export function handoffPriority(reason: HandoffReason, ctx: Pick<FlowContext, 'facts'>): number {
  if (reason === 'already_paid') return HANDOFF_PRIORITIES.already_paid;
  if (reason === 'mid_scam') return HANDOFF_PRIORITIES.mid_scam;
  if (reason === 'unreachable' && ctx.facts.riskLevel === 'high') return HANDOFF_PRIORITIES.unreachable_high;
  if (reason === 'review') return HANDOFF_PRIORITIES.review;
  return HANDOFF_PRIORITIES.normal;
}

function slotValue(slot: string, from: 'reply' | 'payment', reply: Reply | undefined): string | undefined {
  if (!reply) return undefined;
  const p = reply.payment;
  const understood =
    slot === 'amount' ? p?.amounts.map(String) : slot === 'method' || slot === 'bank' ? p?.methods : slot === 'time' ? p?.times : slot === 'account' ? p?.accounts : undefined;
  if (understood && understood.length > 0) return understood.join(', ');
  if (from === 'payment') return undefined;
  const text = reply.text.trim() || reply.digits?.trim() || '';
  return text || undefined;
}

export function expectsOf(s: CompiledState, locale: 'zh' | 'en', channel?: ChannelName): Expects {
  const kind = s.def.expects ?? (s.def.options?.length ? 'choice' : 'free');
  if (kind === 'choice') {
    return {
      kind: 'choice',
      options: (s.def.options ?? []).map((o) => ({ key: o.key, intent: o.intent, label: textFor(o.label, locale, channel) ?? '' })),
    };
  }
  if (kind === 'yes_no') return { kind: 'yes_no', yes: s.def.yes, no: s.def.no };
  return { kind: 'free' };
}

/** The template values of a prompt: the case's, and the flow's phrases in this locale and on this channel. */
export function promptVars(flow: CompiledFlow, ctx: Pick<FlowContext, 'locale' | 'channel' | 'vars'>): FlowContext['vars'] {
  const phrases = flow.def.phrases;
  if (!phrases) return ctx.vars;
  const vars: FlowContext['vars'] = { ...ctx.vars };
  for (const [name, t] of Object.entries(phrases)) vars[name] = fillTemplate(textFor(t, ctx.locale, ctx.channel) ?? '', ctx.vars);
  return vars;
}

function prompt(flow: CompiledFlow, s: CompiledState, text: LocaleText, ctx: FlowContext, expects: Expects): Prompt {
  const p: Prompt = {
    flowId: flow.id,
    flowVersion: flow.version,
    stateId: s.id,
    locale: ctx.locale,
    text: fillTemplate(textFor(text, ctx.locale, ctx.channel) ?? '', promptVars(flow, ctx)),
    expects,
  };
  const hints = s.def.hints?.[ctx.locale];
  if (hints?.length) p.hints = hints;
  return p;
}

function finish(flow: CompiledFlow, acc: Acc, ctx: FlowContext, expectReply: boolean): StepResult {
  const s = flow.states[acc.state.stateId];
  const hangup = acc.state.ended || Boolean(s.def.hangup);
  const result: StepResult = { state: acc.state, prompts: acc.prompts, actions: acc.actions };
  if (hangup) {
    result.hangup = true;
    const last = acc.prompts[acc.prompts.length - 1];
    if (last) last.final = true;
  }
  if (!hangup && expectReply) {
    const secs = s.def.noReplySeconds ?? flow.def.limits?.noReplySeconds?.[ctx.channel] ?? DEFAULT_NO_REPLY_SECONDS[ctx.channel];
    result.waitFor = { noReplyAfterSeconds: secs };
  }
  return result;
}
