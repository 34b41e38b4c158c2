// Per-step figures of one flow version, for the managers' graph: how many conversations reached each
// state, how many stopped answering there, how many are still waiting there, and how many were handed to
// a human from there. Read from the transcript (every prompt and reply carries its flow, version and state)
// and from the cases' conversation state (states passed through without a prompt of their own).
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { ConversationState } from '../../flows/engine';
import { fromJson } from '../store/ids';

/** A case's next action that means the automatic process still waits for the person (lifecycle CaseAction). */
const WAITING_ACTIONS = ['no_reply', 'rung_deadline', 'call_watchdog'];
/** Handoffs the conversation caused; unreachable, review and opt-out come from outside the script. */
const CONVERSATION_HANDOFFS = ['already_paid', 'mid_scam', 'request_human', 'low_confidence', 'distrust', 'flow_error', 'other'];

export interface StepFigures {
  /** Conversations that entered the state. */
  reached: number;
  /** Conversations whose last prompt was here and that never answered, no longer waiting, nobody handed off. */
  dropped: number;
  /** …and those still inside the wait for an answer. */
  waiting: number;
  /** Conversations handed to a human from here (the state the person answered in, or the prompt's state). */
  handedOff: number;
  handoffReasons: Record<string, number>;
}

export interface StepAnalytics {
  flowId: string;
  version: number;
  conversations: number;
  states: Record<string, StepFigures>;
}

interface Msg {
  case_id: string;
  direction: 'in' | 'out';
  state_id: string | null;
  author: string | null;
  created_at: string;
}

export async function stepAnalytics(db: Kysely<Database>, flowId: string, version: number, now = new Date().toISOString()): Promise<StepAnalytics> {
  const onVersion = await db
    .selectFrom('messages')
    .select(['case_id', 'direction', 'state_id', 'author', 'created_at'])
    .where('flow_id', '=', flowId)
    .where('flow_version', '=', version)
    .orderBy('created_at')
    .execute();
  const prompts = new Map<string, Msg[]>();
  for (const m of onVersion) if (m.direction === 'out' && m.author === 'flow' && m.state_id) prompts.set(m.case_id, [...(prompts.get(m.case_id) ?? []), m]);
  const caseIds = [...prompts.keys()];
  const states: Record<string, StepFigures> = {};
  const at = (id: string) => (states[id] ??= { reached: 0, dropped: 0, waiting: 0, handedOff: 0, handoffReasons: {} });

  for (let i = 0; i < caseIds.length; i += 500) {
    const slice = caseIds.slice(i, i + 500);
    const [replies, handoffs, cases] = await Promise.all([
      db.selectFrom('messages').select(['case_id', 'state_id', 'flow_id', 'flow_version', 'created_at']).where('case_id', 'in', slice).where('direction', '=', 'in').where('author', '=', 'citizen').orderBy('created_at').execute(),
      db.selectFrom('handoffs').select(['case_id', 'reason', 'created_at']).where('case_id', 'in', slice).where('reason', 'in', CONVERSATION_HANDOFFS).orderBy('created_at').execute(),
      db.selectFrom('cases').select(['id', 'status', 'conversation', 'flow_id', 'flow_version', 'next_action', 'next_action_at']).where('id', 'in', slice).execute(),
    ]);
    const caseById = new Map(cases.map((c) => [c.id, c]));
    for (const caseId of slice) {
      const mine = prompts.get(caseId)!;
      const first = mine[0]!.created_at;
      const last = mine[mine.length - 1]!;
      const c = caseById.get(caseId);
      const conv = c && c.flow_id === flowId && c.flow_version === version ? fromJson<ConversationState | null>(c.conversation, null) : null;

      const reached = new Set(mine.map((m) => m.state_id!));
      for (const [s, n] of Object.entries(conv?.visits ?? {})) if (n > 0) reached.add(s);
      for (const s of reached) at(s).reached += 1;

      const myReplies = replies.filter((r) => r.case_id === caseId);
      const myHandoffs = handoffs.filter((h) => h.case_id === caseId && h.created_at >= first);
      const handedFrom = new Set<string>();
      for (const h of myHandoffs) {
        // Where the person was: the state they last answered in (on this version), else the prompt before it.
        const reply = [...myReplies].reverse().find((r) => r.created_at <= h.created_at && r.created_at >= first && r.flow_id === flowId && r.flow_version === version && r.state_id);
        const prompt = [...mine].reverse().find((m) => m.created_at <= h.created_at);
        const state = reply?.state_id ?? prompt?.state_id;
        if (!state || handedFrom.has(state)) continue;
        handedFrom.add(state);
        at(state).handedOff += 1;
        at(state).handoffReasons[h.reason] = (at(state).handoffReasons[h.reason] ?? 0) + 1;
      }

      const answeredAfter = myReplies.some((r) => r.created_at > last.created_at);
      // Silence after a handoff is the officer's to deal with, not a drop out of the script.
      const withHuman = myHandoffs.length > 0;
      if (!answeredAfter && !withHuman && !conv?.ended) {
        const stillWaiting = c?.status === 'open' && WAITING_ACTIONS.includes(c.next_action ?? '') && !!c.next_action_at && c.next_action_at > now;
        if (stillWaiting) at(last.state_id!).waiting += 1;
        else at(last.state_id!).dropped += 1;
      }
    }
  }
  return { flowId, version, conversations: caseIds.length, states };
}
