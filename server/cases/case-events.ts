// One place turns something that happened to a case into its lifecycle decision and effects: read the case
// (locked on PostgreSQL) and what the world looks like, step the pure lifecycle, let the outbox writer carry
// out the commands — all in one transaction — then dispatch after commit.
import type { CaseRow, MessageRow } from '../store/schema';
import { getCase } from '../store/repositories/cases';
import { activeHandoffForCase } from '../store/repositories/handoffs';
import { fromJson } from '../store/ids';
import { PendingEvents } from '../events';
import type { Services } from '../services';
import type { ScamType, Locale, RiskLevel } from '../../flows/engine/vocabulary';
import { legacyState, transition, type ConversationStep, type LifecycleEvent, type LifecycleState, type LifecycleWorld } from './lifecycle';
import { applyTransition, dispatch, queueMessage, type Applied, type ConversationPort, type Tx } from './outbox';

/** The conversation side, as the case's events need it (server/cases/conversation.ts provides it). */
export interface CasePort extends ConversationPort {
  /** Feeds silence to the case's conversation (the script's no_reply handling); the step and any new prompt. */
  silence(trx: Tx, s: Services, c: CaseRow, pending: PendingEvents): Promise<{ step: ConversationStep; message?: MessageRow } | undefined>;
}

export function readLifecycle(c: CaseRow): LifecycleState {
  return fromJson<LifecycleState | null>(c.lifecycle, null) ?? legacyState(c);
}

/** `openedNow`: the case was opened in this transaction, so it has no handoff to look up. */
export async function worldFor(trx: Tx, s: Services, c: CaseRow, openedNow = false): Promise<LifecycleWorld> {
  const h = openedNow ? undefined : await activeHandoffForCase(trx, c.id);
  return {
    now: new Date().toISOString(),
    policy: s.policy,
    utcOffsetMinutes: s.config.utcOffsetMinutes,
    facts: {
      riskLevel: (['low', 'medium', 'high'].includes(c.risk_level) ? c.risk_level : 'medium') as RiskLevel,
      warningCount: c.warning_count,
      amount: c.amount ?? undefined,
      scamType: c.scam_type as ScamType,
      locale: (c.locale === 'en' ? 'en' : 'zh') as Locale,
      telegram: !!c.telegram_chat_id && !!s.channels.telegram,
      relatives: fromJson<unknown[]>(c.relatives, []).length,
      optedOut: c.opted_out === 1,
    },
    handoff: h ? { reason: h.reason, priority: h.priority, status: h.status === 'claimed' ? 'claimed' : 'open' } : null,
    deskNumber: !!s.config.twilio.deskNumber,
  };
}

export async function lockCase(trx: Tx, s: Services, caseId: string): Promise<CaseRow | undefined> {
  if (s.store.dialect === 'postgres') return trx.selectFrom('cases').selectAll().where('id', '=', caseId).forUpdate().executeTakeFirst();
  return getCase(trx, caseId);
}

/** Work left for after commit, gathered over every step of one event (silence handling included). */
export type Advanced = Applied;

/**
 * Steps the case's lifecycle on one event inside the caller's transaction, and carries out what it decided.
 * When the lifecycle asks for the conversation's silence handling, the step's result is fed back at once.
 */
export async function advanceCase(trx: Tx, s: Services, c: CaseRow, event: LifecycleEvent, pending: PendingEvents, port: CasePort, actor = 'lifecycle'): Promise<Advanced> {
  let state = readLifecycle(c);
  const outbox: Advanced['outbox'] = [];
  let next: Advanced['next'];
  let connectDesk = false;
  let e: LifecycleEvent | undefined = event;
  // Silence handling can end in another silence request only through a new timer, so two rounds suffice.
  for (let round = 0; e && round < 3; round++) {
    const newCase = round === 0 && e.type === 'warning_received' && e.newCase;
    const t = transition(state, e, await worldFor(trx, s, c, newCase));
    const applied = await applyTransition(trx, s, c, t, pending, port, actor, newCase);
    state = applied.state;
    outbox.push(...applied.outbox);
    if (applied.next !== undefined) next = applied.next;
    connectDesk ||= applied.connectDesk;
    e = undefined;
    if (applied.stepSilence) {
      const silence = await port.silence(trx, s, c, pending);
      if (silence) {
        if (silence.message) {
          const row = await queueMessage(trx, c, silence.message, 'prompt');
          if (row) outbox.push(row);
        }
        e = { type: 'conversation_step', step: silence.step };
      } else {
        // No conversation to be silent in (a call answered and lost before the script spoke): a person looks.
        e = { type: 'conversation_step', step: { channel: (c.active_channel as ConversationStep['channel']) ?? 'sms', trigger: 'no_reply', ended: true, handoffs: [{ reason: 'other', note: 'reached, but no conversation to continue' }] } };
      }
    }
  }
  return { caseId: c.id, outbox, next, connectDesk, stepSilence: false, state };
}

/** Runs one event for a case in its own transaction, then dispatches. Undefined when the case is gone. */
export async function runCaseEvent(s: Services, caseId: string, event: LifecycleEvent, port: CasePort, actor?: string): Promise<Advanced | undefined> {
  const pending = new PendingEvents();
  const out = await s.store.db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, s, caseId);
    if (!c) return undefined;
    return advanceCase(trx, s, c, event, pending, port, actor);
  });
  pending.flushTo(s.events);
  if (out) await dispatch(s, out);
  return out;
}
