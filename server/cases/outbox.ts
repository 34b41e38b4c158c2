// The only writer of a case's outbound effects and next action. It carries out the lifecycle's commands
// inside the caller's transaction — attempt rows, outbox rows (a call, or a message with its rendering),
// handoffs, the next action, the lifecycle state — so a decision and its effects commit together. After
// commit, `dispatch` queues the relay and the timer; if Redis loses them, the sweeper finds the rows.
import type { Kysely } from 'kysely';
import type { CaseRow, CaseUpdate, Database, MessageRow, OutboxRow } from '../store/schema';
import { updateCase } from '../store/repositories/cases';
import { attemptsByNo, beginAttempt, type NewAttempt } from '../store/repositories/attempts';
import { activeHandoffForCase, appendHandoffNote } from '../store/repositories/handoffs';
import { beginAttemptWithOutbox, cancelPendingForAttempts, insertOutbox } from '../store/repositories/outbox';
import { audit } from '../store/repositories/audit';
import { fromJson, nowIso, toJson } from '../store/ids';
import type { PendingEvents } from '../events';
import type { Services } from '../services';
import type { CaseJob } from '../jobs/queues';
import { directJobs, type JobSink } from '../jobs/bulk-enqueue';
import { handOff } from './handoff';
import type { LifecycleCommand, LifecycleState, Transition } from './lifecycle';
import { createVisitTask, escalateOpenVisit } from '../org/visits';

/** The review handoff a visit decision resolved (the task remembers which review sent it). */
const latestReviewHandoffId = async (trx: Kysely<Database>, caseId: string): Promise<string | undefined> =>
  (await trx.selectFrom('handoffs').select('id').where('case_id', '=', caseId).where('kind', '=', 'review').orderBy('created_at', 'desc').limit(1).executeTakeFirst())?.id;

export type Tx = Kysely<Database>;

/** What the conversation side provides when a command needs a script (kept apart so neither imports the other). */
export interface ConversationPort {
  /**
   * Starts the case's conversation on a text channel (its script, or the follow-up): records the first prompt.
   * The conversation's case columns go into `casePatch`, which the decision writes with its own. `newCase`: the
   * case was opened in this transaction (nothing about it is stored yet but what this decision writes).
   * `callerWritesMessage`: the message comes back unwritten, for the caller to write with the row that sends it.
   */
  begin(trx: Tx, s: Services, c: CaseRow, channel: 'sms' | 'telegram', script: 'case' | 'follow_up', pending: PendingEvents, casePatch: CaseUpdate, newCase?: boolean, callerWritesMessage?: boolean): Promise<MessageRow | undefined>;
  /** The relative flow's first prompt for one relative, stored on the person's case (not their conversation). */
  relativePrompt(trx: Tx, s: Services, c: CaseRow, relative: { phone: string; relation: string | null }): Promise<MessageRow | undefined>;
}

/** What a decision left to do after commit. */
export interface Applied {
  caseId: string;
  /** Outbox rows written: the relay sends them. */
  outbox: { id: string; due_at: string }[];
  /** The case's next action when it changed (null: none any more). */
  next?: { action: string; at: string } | null;
  /** A call in progress is to be connected to the desk (the voice webhook answers with a <Dial>). */
  connectDesk: boolean;
  /** The conversation is to be fed silence (the script's no_reply handling). */
  stepSilence: boolean;
  state: LifecycleState;
}

/**
 * Carries out one transition's commands and writes the new lifecycle state and next action. Runs inside
 * the caller's transaction; live events go to `pending` (published after commit).
 */
export async function applyTransition(trx: Tx, s: Services, c: CaseRow, t: Transition, pending: PendingEvents, port: ConversationPort, actor: string, newCase = false): Promise<Applied> {
  const applied: Applied = { caseId: c.id, outbox: [], connectDesk: false, stepSilence: false, state: t.state };
  const patch: CaseUpdate = { lifecycle: toJson(t.state) };
  // The scripts a command starts read the decided state (the flow triage chose, the follow-up script).
  c.lifecycle = patch.lifecycle!;
  // The next action is known before any command runs (nothing reads it meanwhile): a contact's statement can
  // then carry the whole update.
  for (const cmd of t.commands) if (cmd.type === 'schedule') Object.assign(patch, { next_action: cmd.action, next_action_at: cmd.at });
  const written: CaseWritten = {};
  for (const cmd of t.commands) await run(trx, s, c, cmd, applied, patch, pending, port, actor, newCase, written);
  // A contact's statement may have carried the case's update already; any later change is written here.
  if (written.patch !== patchKey(patch)) await updateCase(trx, c.id, patch);
  Object.assign(c, patch);
  return applied;
}

/** The case patch as a contact's statement last wrote it (patchKey), if one did. */
interface CaseWritten {
  patch?: string;
}

/** A patch's fields and values, whatever order they were set in. */
const patchKey = (patch: CaseUpdate): string => JSON.stringify(Object.entries(patch).sort(([a], [b]) => (a < b ? -1 : 1)));

/** The case's patch as it stands once a contact on `channel` is written: what that contact's statement may carry. */
const patchWithContact = (patch: CaseUpdate, cmd: Extract<LifecycleCommand, { type: 'contact' }>): CaseUpdate => (cmd.purpose !== 'follow_up' ? { ...patch, active_channel: cmd.channel } : patch);

/**
 * A message contact: its attempt, the message the script renders, the outbox row that sends it. An attempt
 * decided before renders nothing. A case opened in this transaction has no attempts yet, so its message is
 * rendered first and the attempt written with its outbox row (one statement on PostgreSQL).
 */
async function beginMessageContact(
  trx: Tx,
  s: Services,
  c: CaseRow,
  cmd: Extract<LifecycleCommand, { type: 'contact' }>,
  channel: 'sms' | 'telegram',
  attempt: NewAttempt,
  ctx: { patch: CaseUpdate; pending: PendingEvents; port: ConversationPort; actor: string; newCase: boolean; written: CaseWritten },
): Promise<OutboxRow | undefined> {
  const earlier = ctx.newCase ? undefined : await beginAttempt(trx, attempt);
  if (earlier && !earlier.created) return undefined;
  // A new case's first message is written with its attempt and outbox row (one statement on PostgreSQL).
  const deferred = ctx.newCase && s.store.dialect === 'postgres';
  const message = await ctx.port.begin(trx, s, c, channel, cmd.purpose === 'follow_up' ? 'follow_up' : 'case', ctx.pending, ctx.patch, ctx.newCase, deferred);
  if (!message) {
    if (!earlier) await beginAttempt(trx, attempt);
    await audit(trx, { caseId: c.id, actor: ctx.actor, action: 'contact_skipped', detail: { channel, attemptNo: cmd.attempt, why: 'no published script to send' } });
    return undefined;
  }
  const outbox = { case_id: c.id, kind: 'message' as const, channel, purpose: cmd.purpose, target: attempt.target, message_id: message.id };
  if (earlier) return insertOutbox(trx, { ...outbox, attempt_id: earlier.attempt.id });
  const carried = patchWithContact(ctx.patch, cmd);
  const begun = await beginAttemptWithOutbox(trx, s.store.dialect, attempt, outbox, { id: c.id, patch: carried }, deferred ? message : undefined);
  if (!begun) throw new Error(`case ${c.id} was opened in this transaction, yet its attempt ${cmd.attempt} exists`);
  if (begun.caseWritten) ctx.written.patch = patchKey(carried);
  return begun.outbox;
}

/** A call contact: its attempt and the outbox row that places the call, with the case's update on PostgreSQL. */
async function beginCallContact(trx: Tx, s: Services, c: CaseRow, cmd: Extract<LifecycleCommand, { type: 'contact' }>, attempt: NewAttempt, patch: CaseUpdate, written: CaseWritten): Promise<OutboxRow | undefined> {
  const carried = patchWithContact(patch, cmd);
  const begun = await beginAttemptWithOutbox(trx, s.store.dialect, attempt, { case_id: c.id, kind: 'call', channel: 'voice', purpose: cmd.purpose, target: attempt.target, payload: toJson({ machineDetection: true }) }, { id: c.id, patch: carried });
  if (begun?.caseWritten) written.patch = patchKey(carried);
  return begun?.outbox;
}

async function run(trx: Tx, s: Services, c: CaseRow, cmd: LifecycleCommand, applied: Applied, patch: CaseUpdate, pending: PendingEvents, port: ConversationPort, actor: string, newCase: boolean, written: CaseWritten): Promise<void> {
  switch (cmd.type) {
    case 'contact': {
      const target = cmd.channel === 'telegram' ? c.telegram_chat_id : c.phone;
      if (!target) return;
      const attempt: NewAttempt = { case_id: c.id, channel: cmd.channel, target, attempt_no: cmd.attempt, dedupe_key: `${c.id}:attempt:${cmd.attempt}`, status: 'queued' };
      // undefined: decided before (never a second contact for the same attempt), or nothing to send
      const { channel } = cmd;
      const row = channel === 'voice' ? await beginCallContact(trx, s, c, cmd, attempt, patch, written) : await beginMessageContact(trx, s, c, cmd, channel, attempt, { patch, pending, port, actor, newCase, written });
      if (!row) return;
      applied.outbox.push({ id: row.id, due_at: row.due_at });
      if (cmd.purpose !== 'follow_up') patch.active_channel = cmd.channel;
      await audit(trx, { caseId: c.id, actor, action: 'contact_attempt', detail: { channel: cmd.channel, attemptNo: cmd.attempt, purpose: cmd.purpose } });
      return;
    }
    case 'contact_relative': {
      const relative = fromJson<{ phone: string; relation: string | null }[]>(c.relatives, [])[cmd.relative];
      if (!relative) return;
      const { attempt, created } = await beginAttempt(trx, { case_id: c.id, channel: 'sms', target: relative.phone, to_relative: true, attempt_no: cmd.attempt, dedupe_key: `${c.id}:attempt:${cmd.attempt}`, status: 'queued' });
      if (!created) return;
      const message = await port.relativePrompt(trx, s, c, relative);
      if (!message) return;
      const row = await insertOutbox(trx, { case_id: c.id, kind: 'message', channel: 'sms', purpose: 'relative', target: relative.phone, attempt_id: attempt.id, message_id: message.id });
      applied.outbox.push({ id: row.id, due_at: row.due_at });
      await audit(trx, { caseId: c.id, actor, action: 'relative_contacted', detail: { relation: relative.relation, attemptNo: cmd.attempt } });
      return;
    }
    case 'cancel_contacts': {
      const attempts = await attemptsByNo(trx, c.id, cmd.attempts);
      const ids = attempts.map((a) => a.id);
      const cancelled = await cancelPendingForAttempts(trx, ids);
      if (ids.length) await trx.updateTable('contact_attempts').set({ status: 'cancelled', updated_at: nowIso() }).where('id', 'in', ids).where('status', '=', 'queued').execute();
      if (cancelled) await audit(trx, { caseId: c.id, actor, action: 'contacts_cancelled', detail: { attempts: cmd.attempts } });
      return;
    }
    case 'schedule':
      patch.next_action = cmd.action;
      patch.next_action_at = cmd.at;
      applied.next = cmd.action && cmd.at ? { action: cmd.action, at: cmd.at } : null;
      return;
    case 'open_handoff':
      await handOff(trx, pending, { caseId: c.id, reason: cmd.reason, riskLevel: c.risk_level, priority: cmd.priority, note: cmd.note, actor, slaMinutes: cmd.slaMinutes });
      return;
    case 'request_visit': {
      // Organisation (issue 15): a second review chose the station: its visit task, with the deadline.
      if (cmd.station && cmd.deadlineAt) {
        const task = await createVisitTask(trx, s, c, { stationId: cmd.station, deadlineAt: cmd.deadlineAt, reason: cmd.note, requestedBy: actor, handoffId: (await latestReviewHandoffId(trx, c.id)) ?? null });
        pending.publish({ type: 'org', change: 'visit', caseId: c.id, taskId: task.id });
        return;
      }
      // No station chosen yet (the policy's visit rules): the request waits on the case's handoff for the second review.
      await audit(trx, { caseId: c.id, actor, action: 'visit_requested', detail: { reasons: cmd.reasons, note: cmd.note } });
      const active = await activeHandoffForCase(trx, c.id);
      const line = `station visit requested: ${cmd.reasons.join(', ')}`;
      if (active) await appendHandoffNote(trx, active.id, line);
      else await handOff(trx, pending, { caseId: c.id, reason: 'review', riskLevel: c.risk_level, note: line, actor });
      return;
    }
    case 'visit_overdue': {
      // Organisation (issue 15): the lifecycle's handoff (opened just before) goes to the district's supervisors, escalated.
      const overdue = await escalateOpenVisit(trx, s, c, actor);
      if (overdue) pending.publish({ type: 'org', change: 'visit', caseId: c.id, taskId: overdue.task.id });
      if (overdue?.escalatedHandoffId) pending.publish({ type: 'handoff', handoffId: overdue.escalatedHandoffId, caseId: c.id, change: 'escalated' });
      return;
    }
    case 'step_conversation':
      applied.stepSilence = true;
      return;
    case 'connect_desk':
      applied.connectDesk = true;
      return;
    case 'close': {
      const now = nowIso();
      patch.status = 'closed';
      patch.outcome = cmd.outcome;
      patch.closed_at = now;
      await audit(trx, { caseId: c.id, actor: 'lifecycle', action: 'case_closed', detail: { outcome: cmd.outcome, by: actor } });
      pending.publish({ type: 'case', caseId: c.id, change: 'closed' });
      return;
    }
    case 'reopen':
      patch.status = 'open';
      patch.closed_at = null;
      patch.outcome = null;
      await audit(trx, { caseId: c.id, actor: 'lifecycle', action: 'case_reopened', detail: { previousOutcome: c.outcome, closedAt: c.closed_at, by: actor } });
      pending.publish({ type: 'case', caseId: c.id, change: 'reopened' });
      return;
    case 'note':
      await audit(trx, { caseId: c.id, actor: 'lifecycle', action: cmd.action, ...(cmd.detail ? { detail: cmd.detail } : {}) });
      return;
  }
}

/** Puts a stored outbound message (a reply prompt, a desk message) in the outbox, in the caller's transaction. */
export async function queueMessage(trx: Tx, c: CaseRow, m: MessageRow, purpose: 'prompt' | 'desk'): Promise<{ id: string; due_at: string } | undefined> {
  if (m.channel !== 'sms' && m.channel !== 'telegram') return undefined;
  const target = fromJson<{ to?: string }>(m.payload, {}).to ?? (m.channel === 'telegram' ? c.telegram_chat_id : c.phone);
  if (!target) return undefined;
  const row = await insertOutbox(trx, { case_id: c.id, kind: 'message', channel: m.channel, purpose, target, message_id: m.id });
  return { id: row.id, due_at: row.due_at };
}

/** How long an answer waits for Redis before leaving the work to the sweeper. */
const ENQUEUE_WAIT_MS = 1000;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** After commit: queue the relay for new outbox rows and the case's timer. Never throws (the sweeper is the backstop). */
export async function dispatch(
  s: Services,
  work: { caseId: string; outbox: { id: string; due_at: string }[]; next?: { action: string; at: string } | null },
  sink: JobSink = directJobs(s.queues),
): Promise<void> {
  const jobs: Promise<unknown>[] = work.outbox.map((o) => sink.relay({ outboxId: o.id, due: o.due_at }));
  if (work.next) jobs.push(sink.caseJob({ caseId: work.caseId, action: work.next.action as CaseJob['action'], due: work.next.at }));
  if (!jobs.length) return;
  await withTimeout(Promise.all(jobs), ENQUEUE_WAIT_MS).catch((err) => s.log.warn({ caseId: work.caseId, err: (err as Error).message }, 'enqueue failed; the sweeper will queue it'));
}
