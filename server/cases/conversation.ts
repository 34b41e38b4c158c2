// A citizen's reply → classify → flow step → store → what the step means, to the lifecycle → next prompt (outbox).
import type { Kysely } from 'kysely';
import {
  applyConversationRules,
  chooseOption,
  renderPrompts,
  startConversation,
  step,
  type CompiledFlow,
  type ConversationState,
  type FlowContext,
  type FlowEvent,
  type Rendered,
  type StepResult,
} from '../../flows/engine';
import type { ChannelName, HandoffReason, Locale } from '../../flows/engine/vocabulary';
import type { Classification } from '../../nlu-models/src/intents';
import { usablePersonName } from '../../flows/engine/person-name';
import { optionClassification } from '../../flows/engine/options';
import type { Database, CaseRow, CaseUpdate, MessageRow } from '../store/schema';
import { insertMessage, messageRow, type NewMessage } from '../store/repositories/messages';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { audit } from '../store/repositories/audit';
import { fromJson, toJson } from '../store/ids';
import { PendingEvents } from '../events';
import type { Services } from '../services';
import { NotFoundError } from '../errors';
import { timedClassify } from '../http/metrics';
import { trialFlowFor } from '../trials/assignment';
import { advanceCase, lockCase, readLifecycle, type Advanced, type CasePort } from './case-events';
import { dispatch, queueMessage } from './outbox';
import type { ConversationStep, LifecycleEvent } from './lifecycle';

export function flowContext(s: Services, c: CaseRow, channel: ChannelName): FlowContext {
  const relatives = fromJson<{ relation: string | null }[]>(c.relatives, []);
  const lifecycle = readLifecycle(c);
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
      attemptCount: lifecycle.attempts,
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
  /** The lifecycle wants the call in progress connected to the desk (someone at risk is not hung up on). */
  connectDesk?: boolean;
}

export interface VoiceRenderContext {
  gatherActionUrl: string;
  /** Identifies this answer of this call ("<CallSid>:<turn>"), so a replayed webhook gets the same TwiML. */
  turnKey?: string;
}

/** What one flow step means for the case's life (the lifecycle consumes the step, never the other way round). */
export function summarizeStep(flow: CompiledFlow, result: StepResult, channel: ChannelName, trigger: ConversationStep['trigger'], classification?: Classification): ConversationStep {
  const handoffs: ConversationStep['handoffs'] = [];
  let callbackAfterMinutes: number | undefined;
  let contactRelative = false;
  for (const a of result.actions) {
    if (a.type === 'handoff') handoffs.push({ reason: a.reason, ...(a.priority !== undefined ? { priority: a.priority } : {}), ...(a.note ? { note: a.note } : {}) });
    else if (a.type === 'schedule_callback') callbackAfterMinutes = a.afterMinutes;
    else if (a.type === 'contact_relative') contactRelative = true;
  }
  const promise = flow.states[result.state.stateId]?.entry.find((a) => a.type === 'handoff') as { reason?: HandoffReason } | undefined;
  return {
    channel,
    trigger,
    ended: result.state.ended,
    ...(result.state.outcome ? { outcome: result.state.outcome } : {}),
    handoffs,
    ...(callbackAfterMinutes !== undefined ? { callbackAfterMinutes } : {}),
    ...(contactRelative ? { contactRelative } : {}),
    ...(result.waitFor ? { noReplyAfterSeconds: result.waitFor.noReplyAfterSeconds } : {}),
    ...(classification?.atRisk ? { atRisk: classification.intent as HandoffReason } : {}),
    ...(promise?.reason ? { promisesHuman: promise.reason } : {}),
    ...(result.hangup ? { hangup: true } : {}),
  };
}

/**
 * Records one flow step: the outbound prompts and the conversation state. What the step means for the case
 * (handoffs, timers, closing) is the lifecycle's to decide: see summarizeStep.
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
  opts: { voice?: VoiceRenderContext; actor: string; casePatch?: CaseUpdate; /** The caller writes the outbound message row itself (with the row that sends it). */ callerWritesMessage?: boolean },
): Promise<{ outbound?: MessageRow; rendered?: Rendered }> {
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
    const message: NewMessage = {
      case_id: c.id,
      direction: 'out',
      channel,
      body: result.prompts.map((p) => p.text).join('\n'),
      flow_id: flow.id,
      flow_version: flow.version,
      state_id: last.stateId,
      payload: toJson(rendered),
      // Voice prompts are spoken in the webhook's answer: they are "sent" once returned.
      provider_id: channel === 'voice' ? (opts.voice?.turnKey ? `twiml:${opts.voice.turnKey}` : 'twiml') : null,
      author: 'flow',
    };
    outbound = opts.callerWritesMessage ? messageRow(message) : await insertMessage(db, message);
  }
  const patch = { conversation: toJson(result.state), flow_id: flow.id, flow_version: flow.version, active_channel: channel };
  // Inside a lifecycle decision the case row is written once, with the decision's own changes.
  if (opts.casePatch) Object.assign(opts.casePatch, patch);
  else await db.updateTable('cases').set({ ...patch, updated_at: new Date().toISOString() }).where('id', '=', c.id).execute();
  Object.assign(c, patch);
  if (result.state.ended && result.state.outcome) await audit(db, { caseId: c.id, actor: opts.actor, action: 'flow_ended', detail: { outcome: result.state.outcome } });
  pending.publish({ type: 'case', caseId: c.id, change: 'conversation' });
  return { outbound, rendered };
}

/** Starts (or restarts) the case's conversation on a channel: the first prompts of the flow. */
export async function beginConversation(
  db: Kysely<Database>,
  s: Services,
  c: CaseRow,
  flow: CompiledFlow,
  channel: ChannelName,
  pending: PendingEvents,
  opts: {
    voice?: VoiceRenderContext;
    actor: string;
    /** Spoken before the flow's first words (the call-recording notice). */
    notice?: string;
    /** The caller writes the case row itself: the conversation's columns go into this patch instead. */
    casePatch?: CaseUpdate;
    /** The caller writes the first prompt's message row itself (`outbound`, not yet written). */
    callerWritesMessage?: boolean;
  },
): Promise<TurnOutput> {
  const result = startConversation(flow, flowContext(s, c, channel));
  const first = result.prompts[0];
  if (opts.notice && first) result.prompts.unshift({ ...first, text: opts.notice, expects: { kind: 'free' }, hints: undefined, final: false });
  const out = await recordStep(db, s, c, flow, channel, result, pending, opts);
  return { caseId: c.id, result, ...out, handoffOpened: false };
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
  // Loaded before the transaction: the first use in a process reads the model (about a second).
  const classifier = await s.classifier.get();
  const pending = new PendingEvents();
  const after: Advanced[] = [];
  const outbox: { id: string; due_at: string }[] = [];
  let classification: Classification | undefined;
  const out = await s.store.db.transaction().execute(async (trx): Promise<TurnOutput> => {
    const c = await lockCase(trx, s, r.caseId);
    if (!c) throw new NotFoundError(`case ${r.caseId} not found`);
    // A citizen back after their case closed: the same case reopens, with its history.
    if (c.status === 'closed') after.push(await advanceCase(trx, s, c, { type: 'contact_after_close', channel: r.channel }, pending, conversationPort, 'citizen'));
    const stateBefore = fromJson<ConversationState | null>(c.conversation, null)?.stateId ?? null;

    // Options first: a key, a button, or a text that names a menu key is the person's own choice; only
    // free text goes to the classifier. (The menu is the one of the conversation the person is answering.)
    let conversation = loadConversation(s, c);
    const running = conversation && !conversation.state.ended ? conversation : undefined;
    const answering = running?.flow ?? (await flowForCase(s, c, trx));
    const chosen = answering ? chooseOption(answering, running?.state, { text: r.text, digits: r.digits, button: r.button }) : undefined;
    const heard = chosen ? optionClassification(chosen, c.locale === 'en' ? 'en' : 'zh') : timedClassify(() => classifier.classify(r.text));
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

    // An officer holds the case: the reply is theirs to answer, so the script stays quiet (not on a live
    // call, where the flow is the only voice the citizen hears).
    const handoff = await activeHandoffForCase(trx, c.id);
    if (handoff?.status === 'claimed' && r.channel !== 'voice') {
      await recordReply(chosen ? 'option' : 'classifier');
      after.push(await advanceCase(trx, s, c, { type: 'conversation_step', step: { channel: r.channel, trigger: 'reply', officerHolds: true, ended: false, handoffs: [] } }, pending, conversationPort, 'citizen'));
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
    const recorded = await recordStep(trx, s, c, conversation!.flow, r.channel, merged, pending, { voice: r.voice, actor: 'citizen' });
    const adv = await advanceCase(trx, s, c, { type: 'conversation_step', step: summarizeStep(conversation!.flow, merged, r.channel, 'reply', heard) }, pending, conversationPort, 'citizen');
    after.push(adv);
    if (recorded.outbound && r.channel !== 'voice') {
      const row = await queueMessage(trx, c, recorded.outbound, 'prompt');
      if (row) outbox.push(row);
    }
    return { caseId: c.id, result: merged, ...recorded, handoffOpened: merged.actions.some((a) => a.type === 'handoff'), connectDesk: adv.connectDesk };
  });
  pending.flushTo(s.events);
  await dispatchAll(s, r.caseId, after, outbox);
  s.log.info({ caseId: r.caseId, channel: r.channel, intent: classification?.intent, atRisk: classification?.atRisk }, 'reply handled');
  return out;
}

/** Dispatches what several steps of one transaction left to do (the last timer wins: it is the case's now). */
async function dispatchAll(s: Services, caseId: string, steps: Advanced[], outbox: { id: string; due_at: string }[]): Promise<void> {
  const next = [...steps].reverse().find((a) => a.next !== undefined)?.next;
  await dispatch(s, { caseId, outbox: [...steps.flatMap((a) => a.outbox), ...outbox], next });
}

/** Feeds a non-reply event (silence, voicemail) to the case's conversation, and its meaning to the lifecycle. */
export async function handleFlowEvent(s: Services, caseId: string, event: Exclude<FlowEvent, { type: 'reply' }>, channel?: ChannelName, voice?: VoiceRenderContext): Promise<TurnOutput | undefined> {
  const pending = new PendingEvents();
  const after: Advanced[] = [];
  const outbox: { id: string; due_at: string }[] = [];
  const out = await s.store.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, s, caseId);
    const conversation = c && loadConversation(s, c);
    if (!c || !conversation || conversation.state.ended) return undefined;
    const ch = channel ?? ((c.active_channel as ChannelName | null) ?? 'sms');
    const result = step(conversation.flow, conversation.state, event, flowContext(s, c, ch));
    const recorded = await recordStep(trx, s, c, conversation.flow, ch, result, pending, { voice, actor: 'system' });
    const trigger = event.type === 'voicemail' ? 'voicemail' : 'no_reply';
    const adv = await advanceCase(trx, s, c, { type: 'conversation_step', step: summarizeStep(conversation.flow, result, ch, trigger) }, pending, conversationPort, 'system');
    after.push(adv);
    if (recorded.outbound && ch !== 'voice') {
      const row = await queueMessage(trx, c, recorded.outbound, 'prompt');
      if (row) outbox.push(row);
    }
    return { caseId: c.id, result, ...recorded, handoffOpened: result.actions.some((a) => a.type === 'handoff'), connectDesk: adv.connectDesk };
  });
  pending.flushTo(s.events);
  await dispatchAll(s, caseId, after, outbox);
  return out;
}

/**
 * A call is answered (ours, or the citizen calling us): the lifecycle learns it, and the conversation starts
 * on the call. Inside one transaction; the TwiML to answer with comes back.
 */
export async function answerCall(
  s: Services,
  a: { caseId: string; attemptNo?: number; inbound: boolean; voice: VoiceRenderContext; /** The call-recording notice, said first. */ notice?: string },
): Promise<{ rendered?: Rendered; connectDesk: boolean } | undefined> {
  const pending = new PendingEvents();
  const after: Advanced[] = [];
  const out = await s.store.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, s, a.caseId);
    if (!c) return undefined;
    const reached: LifecycleEvent =
      c.status === 'closed'
        ? { type: 'contact_after_close', channel: 'voice' }
        : a.attemptNo !== undefined && !a.inbound
          ? { type: 'attempt_outcome', attempt: a.attemptNo, outcome: 'answered' }
          : { type: 'citizen_contact', channel: 'voice' };
    after.push(await advanceCase(trx, s, c, reached, pending, conversationPort, a.inbound ? 'citizen' : 'twilio'));
    const script = readLifecycle(c).script;
    const flow = a.inbound
      ? (script === 'follow_up' ? s.flows.current(s.policy.flows.followUp) : undefined) ?? s.flows.current(s.policy.flows.returnContact) ?? s.flows.current(fallbackFlowId(s))
      : await flowForCase(s, c, trx);
    if (!flow) return { connectDesk: false };
    const turn = await beginConversation(trx, s, c, flow, 'voice', pending, { actor: a.inbound ? 'citizen' : 'outreach', voice: a.voice, notice: a.notice });
    const adv = await advanceCase(trx, s, c, { type: 'conversation_step', step: summarizeStep(flow, turn.result!, 'voice', 'start') }, pending, conversationPort, 'outreach');
    after.push(adv);
    return { rendered: turn.rendered, connectDesk: adv.connectDesk };
  });
  pending.flushTo(s.events);
  await dispatchAll(s, a.caseId, after, []);
  return out;
}

/**
 * The flow a contact with this case speaks: the conversation's own while it runs; else the case's planned
 * flow — on the version a script trial pinned the case to (chosen at random at its first conversation),
 * or the published one — else the fallback. The one place a new conversation's version is chosen.
 */
export async function flowForCase(s: Services, c: CaseRow, db: Kysely<Database> = s.store.db, opts: { newCase?: boolean } = {}): Promise<CompiledFlow | undefined> {
  const existing = loadConversation(s, c);
  if (existing && !existing.state.ended) return existing.flow;
  const lifecycle = readLifecycle(c);
  // After close (a follow-up, or the citizen back on their own case): the check-in script, not the first questions again.
  if (lifecycle.script === 'follow_up') {
    const followUp = s.flows.current(s.policy.flows.followUp);
    if (followUp) return followUp;
  }
  const planned = lifecycle.flowId ?? c.flow_id;
  const tried = planned ? await trialFlowFor(db, s.flows, c.id, planned, { newCase: opts.newCase }) : undefined;
  return tried ?? (planned ? s.flows.current(planned) : undefined) ?? s.flows.current(fallbackFlowId(s));
}

export function fallbackFlowId(s: Services): string {
  return s.policy.flows.byScamType.other ?? 'fallback';
}

/** The conversation side of the case's lifecycle: the scripts a decision needs, inside its transaction. */
export const conversationPort: CasePort = {
  async begin(trx, s, c, channel, script, pending, casePatch, newCase, callerWritesMessage) {
    const flow = script === 'follow_up' ? s.flows.current(s.policy.flows.followUp) : await flowForCase(s, c, trx, { newCase });
    if (!flow) return undefined;
    const turn = await beginConversation(trx, s, c, flow, channel, pending, { actor: 'outreach', casePatch, callerWritesMessage });
    return turn.outbound;
  },
  async relativePrompt(trx, s, c, relative) {
    const flow = s.flows.current(s.policy.flows.relative);
    if (!flow) return undefined;
    const ctx = flowContext(s, c, 'sms');
    ctx.vars.relative_relation = relative.relation ?? undefined;
    const result = startConversation(flow, ctx);
    const rendered = renderPrompts(result.prompts, 'sms');
    return insertMessage(trx, {
      case_id: c.id,
      direction: 'out',
      channel: 'sms',
      body: result.prompts.map((p) => p.text).join('\n'),
      flow_id: flow.id,
      flow_version: flow.version,
      state_id: result.state.stateId,
      payload: toJson({ ...rendered, to: relative.phone }),
      author: 'flow:relative',
    });
  },
  async silence(trx, s, c, pending) {
    const conversation = loadConversation(s, c);
    if (!conversation || conversation.state.ended) return undefined;
    const ch = (c.active_channel as ChannelName | null) ?? 'sms';
    const result = step(conversation.flow, conversation.state, { type: 'no_reply' }, flowContext(s, c, ch));
    const recorded = await recordStep(trx, s, c, conversation.flow, ch, result, pending, { actor: 'system' });
    return { step: summarizeStep(conversation.flow, result, ch, 'no_reply'), ...(recorded.outbound && ch !== 'voice' ? { message: recorded.outbound } : {}) };
  },
};
