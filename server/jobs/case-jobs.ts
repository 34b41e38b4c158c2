// The case job processor: triage a new warning, climb the contact ladder, react to silence.
// Every handler first checks the case still expects this action at this moment (the outbox row),
// so a duplicated, stale or retried job does nothing twice.
import type { Job } from 'bull';
import { planTriage, renderPrompts, startConversation, RELATIVE_FLOW_ID } from '../../flows/engine';
import type { Locale, RiskLevel, ScamType } from '../../flows/engine/vocabulary';
import type { CaseRow } from '../store/schema';
import { getCase, updateCase } from '../store/repositories/cases';
import { beginAttempt, updateAttempt } from '../store/repositories/attempts';
import { claimMessageForSending, insertMessage, setMessageProviderId } from '../store/repositories/messages';
import { audit } from '../store/repositories/audit';
import { fromJson, isoIn, nowIso, toJson } from '../store/ids';
import { PendingEvents } from '../events';
import { ChannelError } from '../../bots/channel';
import type { Services } from '../services';
import type { CaseJob } from './queues';
import { enqueueCaseJob } from './queues';
import { handOff } from '../cases/handoff';
import { beginConversation, fallbackFlowId, flowContext, flowForCase, handleFlowEvent } from '../cases/conversation';
import { newLadder, quietUntil, readPlan, type ContactPlan } from '../cases/plan';
import { UnrecoverableJobError } from '../errors';

/** How long a voice attempt may stay without any status callback before we treat it as unanswered. */
const CALL_WATCHDOG_MS = 10 * 60_000;
/** How long a text warning waits for an answer when the flow's own wait is not at hand. */
const NO_REPLY_AFTER_TEXT_MS = 30 * 60_000;

export async function processCaseJob(s: Services, job: Job<CaseJob>): Promise<string> {
  const data = job.data;
  if (!data || typeof data.caseId !== 'string' || typeof data.action !== 'string' || typeof data.due !== 'string')
    throw new UnrecoverableJobError(`malformed case job ${job.id}: ${JSON.stringify(data).slice(0, 200)}`);
  const c = await getCase(s.store.db, data.caseId);
  if (!c) return 'case gone';
  if (c.status !== 'open') return 'case closed';
  if (c.next_action !== data.action || c.next_action_at !== data.due) return 'stale';
  switch (data.action) {
    case 'triage':
      return triage(s, c);
    case 'retriage':
      return retriage(s, c);
    case 'contact':
      return contact(s, c);
    case 'confirm_attempt':
      return confirmAttempt(s, c);
    case 'no_reply':
      return noReply(s, c);
    case 'contact_relative':
      return contactRelative(s, c);
    default:
      throw new UnrecoverableJobError(`unknown case action "${data.action}"`);
  }
}

/** Sets the case's next action and queues it (the sweeper re-queues it if this enqueue is lost). */
export async function scheduleNext(s: Services, caseId: string, action: CaseJob['action'] | null, at: string | null, extra: Parameters<typeof updateCase>[2] = {}): Promise<void> {
  await updateCase(s.store.db, caseId, { next_action: action, next_action_at: at, ...extra });
  if (action && at) await enqueueCaseJob(s.queues, { caseId, action, due: at });
}

function triageFacts(c: CaseRow) {
  return {
    scamType: c.scam_type as ScamType,
    locale: (c.locale === 'en' ? 'en' : 'zh') as Locale,
    riskLevel: c.risk_level as RiskLevel,
    warningCount: c.warning_count,
    amount: c.amount ?? undefined,
    hasTelegram: !!c.telegram_chat_id,
    hasRelatives: fromJson<unknown[]>(c.relatives, []).length > 0,
  };
}

async function triage(s: Services, c: CaseRow): Promise<string> {
  const t = planTriage(s.policy, triageFacts(c));
  const channels = t.channels.filter((ch) => ch !== 'telegram' || (c.telegram_chat_id && s.channels.telegram));
  const plan: ContactPlan = { ...t, channels, ladder: newLadder() };
  if (!s.flows.current(plan.flowId)) plan.flowId = fallbackFlowId(s);
  if (t.humanReview) {
    const pending = new PendingEvents();
    await handOff(s.store.db, pending, { caseId: c.id, reason: 'review', riskLevel: c.risk_level, note: t.reviewReasons.join('; '), actor: 'triage' });
    pending.flushTo(s.events);
  }
  await audit(s.store.db, { caseId: c.id, actor: 'triage', action: 'triaged', detail: { flowId: plan.flowId, channels, humanReview: t.humanReview, reasons: t.reviewReasons } });
  const at = quietUntil(plan, c.risk_level, new Date(), s.config.utcOffsetMinutes) ?? nowIso();
  await scheduleNext(s, c.id, 'contact', at, { plan: toJson(plan) });
  return `planned ${channels.join('>')}`;
}

/** A repeat warning for an open case: review thresholds may now be crossed; no new contact. */
async function retriage(s: Services, c: CaseRow): Promise<string> {
  const t = planTriage(s.policy, triageFacts(c));
  if (t.humanReview) {
    const pending = new PendingEvents();
    await handOff(s.store.db, pending, { caseId: c.id, reason: 'review', riskLevel: c.risk_level, note: t.reviewReasons.join('; '), actor: 'triage' });
    pending.flushTo(s.events);
  }
  await scheduleNext(s, c.id, null, null);
  return t.humanReview ? 'review handoff' : 'counted';
}

/** Places the next contact attempt on the ladder. */
async function contact(s: Services, c: CaseRow): Promise<string> {
  const plan = readPlan(c.plan);
  if (!plan) return triage(s, c);
  const quiet = quietUntil(plan, c.risk_level, new Date(), s.config.utcOffsetMinutes);
  if (quiet) {
    await scheduleNext(s, c.id, 'contact', quiet);
    return 'quiet hours';
  }
  const channel = plan.channels[plan.ladder.index];
  if (!channel) return exhausted(s, c, plan);
  // One contact job (one due moment of the case) is one logical attempt: a retried job, whatever it got
  // through before it died, finds the same attempt and never places a second one.
  const key = `${c.id}:contact:${c.next_action_at}`;
  if (plan.ladder.lastAttemptKey !== key) {
    plan.ladder.totalAttempts += 1;
    plan.ladder.attemptsOnChannel += 1;
    plan.ladder.lastAttemptKey = key;
  }
  const attemptNo = plan.ladder.totalAttempts;
  const target = channel === 'telegram' ? c.telegram_chat_id! : c.phone;
  const { attempt, created } = await beginAttempt(s.store.db, { case_id: c.id, channel, target, attempt_no: attemptNo, dedupe_key: key });
  if (!created) {
    // A retried job after a crash: the attempt may or may not have reached Twilio. Never risk a second
    // contact; its status callback will say, and if none comes the rung is tried again.
    if (attempt.status === 'sending') await s.store.db.updateTable('contact_attempts').set({ status: 'unconfirmed' }).where('id', '=', attempt.id).where('status', '=', 'sending').execute();
    await scheduleNext(s, c.id, 'confirm_attempt', isoIn(s.config.providerConfirmWaitMs), { plan: toJson(plan) });
    return 'attempt already made: confirming';
  }
  let unsentMessageId: string | undefined;
  // Until the provider is asked, a failure (the database dropping, say) means nothing went out.
  let providerAsked = false;
  try {
    await updateCase(s.store.db, c.id, { plan: toJson(plan), active_channel: channel });
    if (channel === 'voice') {
      providerAsked = true;
      // Recorded calls (policy.yaml recording) say so first: the answer URL tells the webhook to give the notice.
      const recorded = s.policy.recording?.enabled === true;
      const sent = await s.channels.voice.call({
        to: c.phone,
        answerUrl: `${s.callbackBase}/webhooks/twilio/voice?caseId=${c.id}&attemptId=${attempt.id}${recorded ? '&recorded=1' : ''}`,
        statusCallbackUrl: `${s.callbackBase}/webhooks/twilio/voice/status?caseId=${c.id}&attemptId=${attempt.id}`,
        machineDetection: true,
        ...(recorded ? { recordingStatusCallbackUrl: `${s.callbackBase}/webhooks/twilio/voice/recording?caseId=${c.id}&attemptId=${attempt.id}` } : {}),
      });
      await updateAttempt(s.store.db, attempt.id, { provider_id: sent.providerId, status: sent.status });
      await scheduleNext(s, c.id, 'no_reply', isoIn(CALL_WATCHDOG_MS));
    } else {
      const flow = await flowForCase(s, c);
      if (!flow) throw new UnrecoverableJobError(`no published flow ${plan.flowId}`);
      const pending = new PendingEvents();
      const turn = await s.store.db.transaction().execute((trx) => beginConversation(trx, s, c, flow, channel, pending, { actor: 'outreach' }));
      pending.flushTo(s.events);
      if (turn.outbound && (await claimMessageForSending(s.store.db, turn.outbound.id, attempt.id))) {
        unsentMessageId = turn.outbound.id;
        const sender = channel === 'sms' ? s.channels.sms : s.channels.telegram!;
        providerAsked = true;
        const sent = await sender.send({
          to: target,
          rendered: turn.rendered!,
          statusCallbackUrl: channel === 'sms' ? `${s.callbackBase}/webhooks/twilio/sms/status?caseId=${c.id}&attemptId=${attempt.id}` : undefined,
        });
        unsentMessageId = undefined;
        await setMessageProviderId(s.store.db, turn.outbound.id, sent.providerId);
        await updateAttempt(s.store.db, attempt.id, { provider_id: sent.providerId, status: sent.status });
      }
      // beginConversation set next_action to no_reply with the flow's wait; queue it.
      const fresh = await getCase(s.store.db, c.id);
      if (fresh?.next_action && fresh.next_action_at) await enqueueCaseJob(s.queues, { caseId: c.id, action: fresh.next_action as CaseJob['action'], due: fresh.next_action_at });
    }
    await audit(s.store.db, { caseId: c.id, actor: 'outreach', action: 'contact_attempt', detail: { channel, attemptNo } });
    return `${channel} attempt ${attemptNo}`;
  } catch (err) {
    if (err instanceof ChannelError) {
      await audit(s.store.db, { caseId: c.id, actor: 'outreach', action: 'contact_failed', detail: { channel, code: err.code, permanent: err.permanent } });
      if (err.provider === 'twilio' && err.code === 'network') {
        // No answer from Twilio: it may have sent the SMS or placed the call before the connection failed.
        // Its status callback carries this attempt's id; wait for it rather than risk contacting twice.
        // (A callback that came while we waited has already moved the attempt past 'sending'.)
        await s.store.db.updateTable('contact_attempts').set({ status: 'unconfirmed', error_code: err.code, detail: err.message.slice(0, 500) }).where('id', '=', attempt.id).where('status', '=', 'sending').execute();
        await scheduleNext(s, c.id, 'confirm_attempt', isoIn(s.config.providerConfirmWaitMs));
        return `${channel} attempt ${attemptNo} unconfirmed`;
      }
      await updateAttempt(s.store.db, attempt.id, { status: 'failed', error_code: err.code ?? null, detail: err.message.slice(0, 500) });
      if (err.permanent) {
        await moveDownLadder(s, c.id, 'channel_failed', true);
        return `${channel} failed permanently (${err.code})`;
      }
      // Transient: free the attempt slot so bull's retry tries again with the same attempt number.
      await s.store.db.deleteFrom('contact_attempts').where('id', '=', attempt.id).execute();
      // The conversation's first message never left: drop it (the retry starts the conversation again) and
      // give the case back this job's due action, else the retry finds it "stale" and nothing is ever sent.
      if (unsentMessageId) await s.store.db.deleteFrom('messages').where('id', '=', unsentMessageId).execute();
      forgetAttempt(plan);
      await updateCase(s.store.db, c.id, { plan: toJson(plan), next_action: 'contact', next_action_at: c.next_action_at });
    } else if (!providerAsked) {
      // Nothing reached the provider: undo this attempt so bull's retry places it afresh. (If the database
      // is still away this cleanup fails too; the retry then confirms the attempt with the provider.)
      await s.store.db.deleteFrom('contact_attempts').where('id', '=', attempt.id).execute();
      if (unsentMessageId) await s.store.db.deleteFrom('messages').where('id', '=', unsentMessageId).execute();
      forgetAttempt(plan);
      await updateCase(s.store.db, c.id, { plan: toJson(plan), next_action: 'contact', next_action_at: c.next_action_at });
    }
    throw err;
  }
}

/**
 * A Twilio request that got no answer: if a status callback has arrived since, the contact went out and the
 * case waits for the person as usual; if not, Twilio never had it, and the same rung is tried again.
 */
async function confirmAttempt(s: Services, c: CaseRow): Promise<string> {
  const plan = readPlan(c.plan);
  if (!plan) return 'no plan';
  const attempt = plan.ladder.lastAttemptKey
    ? await s.store.db.selectFrom('contact_attempts').selectAll().where('dedupe_key', '=', plan.ladder.lastAttemptKey).executeTakeFirst()
    : undefined;
  const unsent = attempt && (await s.store.db.selectFrom('messages').select('id').where('provider_id', '=', `sending:${attempt.id}`).executeTakeFirst());
  if (attempt && attempt.status !== 'unconfirmed') {
    if (unsent && attempt.provider_id) await setMessageProviderId(s.store.db, unsent.id, attempt.provider_id);
    await audit(s.store.db, { caseId: c.id, actor: 'outreach', action: 'contact_confirmed', detail: { channel: attempt.channel, status: attempt.status } });
    await scheduleNext(s, c.id, 'no_reply', isoIn(attempt.channel === 'voice' ? CALL_WATCHDOG_MS : NO_REPLY_AFTER_TEXT_MS));
    return 'confirmed by the provider';
  }
  if (attempt) await s.store.db.deleteFrom('contact_attempts').where('id', '=', attempt.id).execute();
  if (unsent) await s.store.db.deleteFrom('messages').where('id', '=', unsent.id).execute();
  forgetAttempt(plan);
  await audit(s.store.db, { caseId: c.id, actor: 'outreach', action: 'contact_not_confirmed', detail: { channel: attempt?.channel } });
  await scheduleNext(s, c.id, 'contact', nowIso(), { plan: toJson(plan) });
  return 'not confirmed: trying again';
}

/** The attempt never reached anyone: the rung it counted is free again. */
function forgetAttempt(plan: ContactPlan): void {
  if (!plan.ladder.lastAttemptKey) return;
  plan.ladder.totalAttempts -= 1;
  plan.ladder.attemptsOnChannel -= 1;
  plan.ladder.lastAttemptKey = undefined;
}

/**
 * The current attempt did not reach the person (unanswered, busy, failed, no reply): retry the same
 * channel after the policy's backoff, or move to the next channel, then relatives, then a human.
 */
export async function moveDownLadder(s: Services, caseId: string, why: string, channelDead = false): Promise<void> {
  const c = await getCase(s.store.db, caseId);
  if (!c || c.status !== 'open') return;
  const plan = readPlan(c.plan);
  if (!plan || plan.ladder.reached) return;
  const channel = plan.channels[plan.ladder.index];
  const retries = plan.retryMinutes;
  if (!channelDead && channel === 'voice' && plan.ladder.attemptsOnChannel <= retries.length) {
    const wait = retries[plan.ladder.attemptsOnChannel - 1] ?? retries[retries.length - 1] ?? 5;
    await audit(s.store.db, { caseId, actor: 'outreach', action: 'retry_scheduled', detail: { why, channel, inMinutes: wait } });
    await scheduleNext(s, caseId, 'contact', isoIn(wait * 60_000));
    return;
  }
  plan.ladder.index += 1;
  plan.ladder.attemptsOnChannel = 0;
  await audit(s.store.db, { caseId, actor: 'outreach', action: 'next_channel', detail: { why, from: channel, to: plan.channels[plan.ladder.index] ?? 'relatives' } });
  if (plan.ladder.index < plan.channels.length) {
    await scheduleNext(s, caseId, 'contact', nowIso(), { plan: toJson(plan) });
  } else {
    await updateCase(s.store.db, caseId, { plan: toJson(plan) });
    await exhausted(s, (await getCase(s.store.db, caseId))!, plan);
  }
}

/** Every own channel failed: relatives next, then a human with an in-person visit proposed. */
async function exhausted(s: Services, c: CaseRow, plan: ContactPlan): Promise<string> {
  const relatives = fromJson<{ phone: string }[]>(c.relatives, []);
  if (plan.ladder.stage === 'primary' && relatives.length) {
    plan.ladder.stage = 'relatives';
    await scheduleNext(s, c.id, 'contact_relative', nowIso(), { plan: toJson(plan) });
    return 'relatives next';
  }
  plan.ladder.stage = 'exhausted';
  const pending = new PendingEvents();
  await handOff(s.store.db, pending, {
    caseId: c.id,
    reason: 'unreachable',
    riskLevel: c.risk_level,
    note: `not reached after ${plan.ladder.totalAttempts} attempt(s)${plan.proposeVisit || c.risk_level === 'high' ? '; in-person visit proposed' : ''}${c.precinct ? ` (${c.precinct})` : ''}`,
    actor: 'outreach',
  });
  pending.flushTo(s.events);
  await scheduleNext(s, c.id, null, null, { plan: toJson(plan) });
  return 'handed off as unreachable';
}

/** Asks a relative to check on the person, by SMS with the relative flow's first prompt. */
async function contactRelative(s: Services, c: CaseRow): Promise<string> {
  const plan = readPlan(c.plan);
  const relatives = fromJson<{ phone: string; relation: string | null }[]>(c.relatives, []);
  if (!plan) return 'no plan';
  const relative = relatives[plan.ladder.relativeIndex];
  const flow = s.flows.current(RELATIVE_FLOW_ID);
  if (!relative || !flow) {
    plan.ladder.stage = 'exhausted';
    return exhausted(s, c, { ...plan, ladder: { ...plan.ladder, stage: 'relatives' } });
  }
  const attemptNo = plan.ladder.totalAttempts + 1;
  const { attempt, created } = await beginAttempt(s.store.db, { case_id: c.id, channel: 'sms', target: relative.phone, to_relative: true, attempt_no: attemptNo, dedupe_key: `${c.id}:relative:${plan.ladder.relativeIndex}` });
  plan.ladder.totalAttempts = attemptNo;
  plan.ladder.relativeIndex += 1;
  if (created) {
    const result = startConversation(flow, flowContext(s, c, 'sms'));
    const rendered = renderPrompts(result.prompts, 'sms');
    const msg = await insertMessage(s.store.db, {
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
    try {
      if (await claimMessageForSending(s.store.db, msg.id, attempt.id)) {
        const sent = await s.channels.sms.send({ to: relative.phone, rendered, statusCallbackUrl: `${s.callbackBase}/webhooks/twilio/sms/status?caseId=${c.id}&attemptId=${attempt.id}` });
        await setMessageProviderId(s.store.db, msg.id, sent.providerId);
        await updateAttempt(s.store.db, attempt.id, { provider_id: sent.providerId, status: sent.status });
      }
    } catch (err) {
      if (!(err instanceof ChannelError)) throw err;
      await updateAttempt(s.store.db, attempt.id, { status: 'failed', error_code: err.code ?? null, detail: err.message.slice(0, 500) });
    }
    await audit(s.store.db, { caseId: c.id, actor: 'outreach', action: 'relative_contacted', detail: { relation: relative.relation } });
  }
  // Whether or not the relative answers, a human takes over: the person is still unreached.
  return exhausted(s, c, plan);
}

async function noReply(s: Services, c: CaseRow): Promise<string> {
  const plan = readPlan(c.plan);
  if (plan && !plan.ladder.reached) {
    await moveDownLadder(s, c.id, 'no reply');
    return 'not reached: next rung';
  }
  const out = await handleFlowEvent(s, c.id, { type: 'no_reply' });
  if (!out) await scheduleNext(s, c.id, null, null);
  const fresh = await getCase(s.store.db, c.id);
  if (fresh?.next_action && fresh.next_action_at) await enqueueCaseJob(s.queues, { caseId: c.id, action: fresh.next_action as CaseJob['action'], due: fresh.next_action_at });
  return out ? 'flow no_reply' : 'nothing to do';
}
