// A citizen's reply → classify → flow step → store → actions (handoff, callbacks, end) → next prompt.
import type { Kysely } from 'kysely';
import {
  applyConversationRules,
  chooseOption,
  renderPrompts,
  startConversation,
  step,
  type CompiledFlow,
  type ConversationState,
  type FlowAction,
  type FlowContext,
  type FlowEvent,
  type Rendered,
  type StepResult,
} from '../../flows/engine';
import type { ChannelName, Locale } from '../../flows/engine/vocabulary';
import type { Classification } from '../../nlu-models/src/intents';
import { usablePersonName } from '../../flows/engine/person-name';
import { optionClassification } from '../../flows/engine/options';
import type { Database, CaseRow, MessageRow } from '../store/schema';
import { getCase, updateCase } from '../store/repositories/cases';
import { insertMessage } from '../store/repositories/messages';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { audit } from '../store/repositories/audit';
import { fromJson, isoIn, nowIso, toJson } from '../store/ids';
import { PendingEvents } from '../events';
import type { Services } from '../services';
import { handOff } from './handoff';
import { readPlan } from './plan';
import { NotFoundError } from '../errors';
import { timedClassify } from '../http/metrics';

/** How long to wait for a reply on a text channel before the flow's no_reply event, when the flow says nothing. */
const DEFAULT_NO_REPLY_SECONDS = 30 * 60;

export function flowContext(s: Services, c: CaseRow, channel: ChannelName): FlowContext {
  const relatives = fromJson<{ relation: string | null }[]>(c.relatives, []);
  const plan = readPlan(c.plan);
  return {
    channel,
    locale: (c.locale === 'en' ? 'en' : 'zh') as Locale,
    vars: {
      // Upstream text: used only if it looks like a person's name, else the greeting is neutral.
      name: usablePersonName(c.name),
      amount: c.amount ?? undefined,
      centre_name: c.locale === 'en' ? s.config.centre.name.en : s.config.centre.name.zh,
      callback_number: s.config.centre.callbackNumber,
      case_ref: c.case_ref,
      scam_type: c.scam_type,
      precinct: c.precinct ?? undefined,
      relative_relation: relatives[0]?.relation ?? undefined,
    },
    facts: {
      riskLevel: (c.risk_level as FlowContext['facts']['riskLevel']) ?? 'medium',
      warningCount: c.warning_count,
      attemptCount: plan?.ladder.totalAttempts ?? 0,
      channel,
    },
  };
}

export function loadConversation(s: Services, c: CaseRow): { flow: CompiledFlow; state: ConversationState } | undefined {
  if (!c.conversation || !c.flow_id || c.flow_version == null) return undefined;
  const state = fromJson<ConversationState | undefined>(c.conversation, undefined);
  const flow = s.flows.version(c.flow_id, c.flow_version, state?.baseVersion);
  if (!state || !flow) return undefined;
  return { flow, state };
}

export interface TurnOutput {
  caseId: string;
  /** The outbound message row holding this turn's prompts, if any. */
  outbound?: MessageRow;
  rendered?: Rendered;
  /** The flow step; absent when an officer holds the case and the flow did not run. */
  result?: StepResult;
  handoffOpened: boolean;
}

export interface VoiceRenderContext {
  gatherActionUrl: string;
}

/**
 * Records the outcome of one flow step: the outbound prompts, the conversation state, the actions.
 * Runs inside the caller's transaction; live events are collected and published after commit.
 */
async function recordStep(
  db: Kysely<Database>,
  s: Services,
  c: CaseRow,
  flow: CompiledFlow,
  channel: ChannelName,
  result: StepResult,
  pending: PendingEvents,
  opts: { classification?: Classification; voice?: VoiceRenderContext; actor: string },
): Promise<Omit<TurnOutput, 'caseId' | 'result'>> {
  let outbound: MessageRow | undefined;
  let rendered: Rendered | undefined;
  if (result.prompts.length) {
    const locale = c.locale === 'en' ? 'en' : 'zh';
    rendered = renderPrompts(result.prompts, channel, {
      hangup: result.hangup || result.state.ended,
      voice: opts.voice
        ? {
            gatherActionUrl: opts.voice.gatherActionUrl,
            voice: locale === 'en' ? s.config.twilio.voiceEn : s.config.twilio.voiceZh,
          }
        : undefined,
    });
    const last = result.prompts[result.prompts.length - 1]!;
    outbound = await insertMessage(db, {
      case_id: c.id,
      direction: 'out',
      channel,
      body: result.prompts.map((p) => p.text).join('\n'),
      flow_id: flow.id,
      flow_version: flow.version,
      state_id: last.stateId,
      payload: toJson(rendered),
      // Voice prompts are spoken in the webhook's answer: they are "sent" once returned.
      provider_id: channel === 'voice' ? 'twiml' : null,
      author: 'flow',
    });
  }

  let handoffOpened = false;
  let nextAction: { action: string | null; at: string | null } = result.state.ended
    ? { action: null, at: null }
    : { action: 'no_reply', at: isoIn((result.waitFor?.noReplyAfterSeconds ?? DEFAULT_NO_REPLY_SECONDS) * 1000) };
  // The server's conversation rules (at-risk and asking reach a human…) were applied to the step already.
  const actions: FlowAction[] = [...result.actions];

  let outcome: string | null = null;
  for (const action of actions) {
    switch (action.type) {
      case 'handoff': {
        const r = await handOff(db, pending, { caseId: c.id, reason: action.reason, riskLevel: c.risk_level, priority: action.priority, note: action.note, actor: opts.actor });
        handoffOpened ||= r.change !== 'unchanged';
        break;
      }
      case 'schedule_callback':
        nextAction = { action: 'contact', at: isoIn(action.afterMinutes * 60_000) };
        await audit(db, { caseId: c.id, actor: opts.actor, action: 'callback_scheduled', detail: { afterMinutes: action.afterMinutes } });
        break;
      case 'contact_relative':
        nextAction = { action: 'contact_relative', at: nowIso() };
        break;
      case 'end':
        outcome = action.outcome;
        break;
      case 'collect_slot':
        break;
    }
  }

  const stillWithHuman = await activeHandoffForCase(db, c.id);
  const closing = outcome !== null && !stillWithHuman && nextAction.action !== 'contact' && nextAction.action !== 'contact_relative';
  await updateCase(db, c.id, {
    conversation: toJson(result.state),
    flow_id: flow.id,
    flow_version: flow.version,
    active_channel: channel,
    next_action: closing ? null : nextAction.action,
    next_action_at: closing ? null : nextAction.at,
    ...(outcome ? { outcome } : {}),
    ...(closing ? { status: 'closed' as const, closed_at: nowIso() } : {}),
  });
  if (outcome) await audit(db, { caseId: c.id, actor: opts.actor, action: closing ? 'case_closed' : 'flow_ended', detail: { outcome } });
  pending.publish({ type: 'case', caseId: c.id, change: 'conversation' });
  return { outbound, rendered, handoffOpened };
}

/** Starts (or restarts) the case's conversation on a channel: the first prompts of the flow. */
export async function beginConversation(
  db: Kysely<Database>,
  s: Services,
  c: CaseRow,
  flow: CompiledFlow,
  channel: ChannelName,
  pending: PendingEvents,
  opts: { voice?: VoiceRenderContext; actor: string },
): Promise<TurnOutput> {
  const result = startConversation(flow, flowContext(s, c, channel));
  const out = await recordStep(db, s, c, flow, channel, result, pending, opts);
  return { caseId: c.id, result, ...out };
}

export interface IncomingReply {
  caseId: string;
  channel: ChannelName;
  text: string;
  digits?: string;
  button?: string;
  providerId?: string;
  /** Speech recognition's own confidence, when the reply was spoken. */
  asrConfidence?: number;
  voice?: VoiceRenderContext;
}

/**
 * Handles one citizen reply end to end. The case row is re-read inside the transaction so two replies
 * arriving together step the conversation one after the other, never from the same old state.
 */
export async function handleReply(s: Services, r: IncomingReply): Promise<TurnOutput> {
  const pending = new PendingEvents();
  let classification: Classification | undefined;
  const out = await s.store.db.transaction().execute(async (trx): Promise<TurnOutput> => {
    const c = await lockCase(trx, s, r.caseId);
    if (!c) throw new NotFoundError(`case ${r.caseId} not found`);
    const stateBefore = fromJson<ConversationState | null>(c.conversation, null)?.stateId ?? null;

    // Options first: a key, a button, or a text that names a menu key is the person's own choice; only
    // free text goes to the classifier. (The menu is the one of the conversation the person is answering.)
    let conversation = loadConversation(s, c);
    const running = conversation && !conversation.state.ended ? conversation : undefined;
    const answering = running?.flow ?? flowForCase(s, c);
    const chosen = answering ? chooseOption(answering, running?.state, { text: r.text, digits: r.digits, button: r.button }) : undefined;
    const heard = chosen ? optionClassification(chosen, c.locale === 'en' ? 'en' : 'zh') : timedClassify(() => s.classifier.classify(r.text));
    classification = heard;
    const recordReply = (decidedBy: StepResult['decidedBy']) =>
      insertMessage(trx, {
        case_id: c.id,
        direction: 'in',
        channel: r.channel,
        body: r.digits && !r.text ? `[${r.digits}]` : r.text,
        flow_id: c.flow_id,
        flow_version: c.flow_version,
        state_id: stateBefore,
        intent: heard.intent,
        confidence: heard.confidence,
        at_risk: heard.atRisk ? 1 : 0,
        classification: toJson({ ...heard, decidedBy, ...(r.asrConfidence !== undefined ? { asrConfidence: r.asrConfidence } : {}) }),
        provider_id: r.providerId ?? null,
        author: 'citizen',
      });
    await markReached(trx, c);

    // An officer holds the case: the reply is theirs to answer, so the script stays quiet (not on a live
    // call, where the flow is the only voice the citizen hears).
    const handoff = await activeHandoffForCase(trx, c.id);
    if (handoff?.status === 'claimed' && r.channel !== 'voice') {
      await recordReply(chosen ? 'option' : 'classifier');
      pending.publish({ type: 'case', caseId: c.id, change: 'reply' });
      return { caseId: c.id, handoffOpened: false };
    }

    const prompts: StepResult['prompts'] = [];
    if (!running) {
      if (!answering) throw new Error('no flow is published to answer this reply');
      const started = startConversation(answering, flowContext(s, c, r.channel));
      prompts.push(...started.prompts);
      conversation = { flow: answering, state: started.state };
    }
    const event: FlowEvent = {
      type: 'reply',
      intent: heard.intent,
      confidence: heard.confidence,
      lowConfidence: heard.lowConfidence,
      text: r.text,
      ...(r.digits ? { digits: r.digits } : {}),
      ...(r.button ? { button: r.button } : {}),
      ...(chosen ? { option: chosen } : {}),
      payment: heard.payment,
    };
    const ctx = flowContext(s, c, r.channel);
    const stepped = step(conversation!.flow, conversation!.state, event, ctx);
    // Citizens' safety first: the conversation rules shared with try-it (flows/engine/rules.ts).
    const result = applyConversationRules(stepped, stepped.intent ? { intent: stepped.intent } : undefined, ctx);
    await recordReply(result.decidedBy ?? (chosen ? 'option' : 'classifier'));
    const merged: StepResult = { ...result, prompts: [...prompts, ...result.prompts] };
    const recorded = await recordStep(trx, s, c, conversation!.flow, r.channel, merged, pending, { classification: heard, voice: r.voice, actor: 'citizen' });
    return { caseId: c.id, result: merged, ...recorded };
  });
  pending.flushTo(s.events);
  if (out.outbound && r.channel !== 'voice') await s.queues.delivery.add({ messageId: out.outbound.id }, { jobId: `deliver:${out.outbound.id}` });
  s.log.info({ caseId: r.caseId, channel: r.channel, intent: classification?.intent, atRisk: classification?.atRisk }, 'reply handled');
  return out;
}

/** Feeds a non-reply event (silence, unanswered, voicemail) to the case's conversation. */
export async function handleFlowEvent(s: Services, caseId: string, event: Exclude<FlowEvent, { type: 'reply' }>, channel?: ChannelName, voice?: VoiceRenderContext): Promise<TurnOutput | undefined> {
  const pending = new PendingEvents();
  const out = await s.store.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, s, caseId);
    const conversation = c && loadConversation(s, c);
    if (!c || !conversation || conversation.state.ended) return undefined;
    const ch = channel ?? ((c.active_channel as ChannelName | null) ?? 'sms');
    const result = step(conversation.flow, conversation.state, event, flowContext(s, c, ch));
    const recorded = await recordStep(trx, s, c, conversation.flow, ch, result, pending, { voice, actor: 'system' });
    return { caseId: c.id, result, ...recorded };
  });
  pending.flushTo(s.events);
  if (out?.outbound && out.outbound.channel !== 'voice') await s.queues.delivery.add({ messageId: out.outbound.id }, { jobId: `deliver:${out.outbound.id}` });
  return out;
}

/** The flow a contact with this case speaks: the conversation's own while it runs, else the case's planned flow, else the fallback. */
export function flowForCase(s: Services, c: CaseRow): CompiledFlow | undefined {
  const existing = loadConversation(s, c);
  if (existing && !existing.state.ended) return existing.flow;
  const planned = readPlan(c.plan)?.flowId ?? c.flow_id;
  return (planned ? s.flows.current(planned) : undefined) ?? s.flows.current(fallbackFlowId(s));
}

export function fallbackFlowId(s: Services): string {
  return s.policy.flows.byScamType.other ?? 'fallback';
}

async function lockCase(trx: Kysely<Database>, s: Services, caseId: string): Promise<CaseRow | undefined> {
  if (s.store.dialect === 'postgres') return trx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
  return getCase(trx, caseId);
}

/** The person answered: stop the contact ladder. */
export async function markReached(db: Kysely<Database>, c: CaseRow): Promise<void> {
  const plan = readPlan(c.plan);
  if (plan && !plan.ladder.reached) {
    plan.ladder.reached = true;
    await updateCase(db, c.id, { plan: toJson(plan) });
    c.plan = toJson(plan);
  }
}
