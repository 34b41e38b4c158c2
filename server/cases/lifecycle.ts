// The case's whole life as one pure machine: (state, event, world) → (new state, commands). No I/O.
// Built like flows/engine/step.ts: the state is plain JSON kept on the case row; the world is what the
// caller read in the same transaction (the case's facts, its active handoff, the policy, the time); the
// commands are carried out by server/cases/outbox.ts, the only writer of outbound effects and next actions.
//
// Phases: new (not triaged yet) → outreach (the ladder is trying to reach the person) → conversation
// (reached: the script talks) → human (only a person can move it on: an active handoff holds it) → closed
// (an outcome; maybe a follow-up timer). Every phase change is an edge of LIFECYCLE_GRAPH
// (docs/lifecycle.md is generated from it).
import { planTriage, quietWindowEnd, type ContactChannel, type EscalationTier, type Policy } from '../../flows/engine';
import { HANDOFF_PRIORITIES, type ChannelName, type HandoffReason, type Outcome, type RiskLevel } from '../../flows/engine/vocabulary';
import type { Locale, ScamType } from '../../flows/engine/vocabulary';

export const PHASES = ['new', 'outreach', 'conversation', 'human', 'closed'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The case's next action: what a timer asks for when it is due. `cases.next_action` holds one of these
 * (the earliest timer), and only server/cases/outbox.ts writes it.
 */
export const CASE_ACTIONS = ['triage', 'contact', 'rung_deadline', 'no_reply', 'call_watchdog', 'callback', 'follow_up', 'visit_due'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

export interface Timer {
  action: CaseAction;
  at: string;
  /** contact / callback: the channel to use. */
  channel?: ChannelName;
  /** contact / rung_deadline: the rung the timer belongs to (a timer of an earlier rung is void). */
  rung?: number;
}

/** One contact attempt of the current rung (or a call-back), by its number on the case. */
export interface LiveContact {
  attempt: number;
  channel: ChannelName;
  toRelative?: boolean;
  callback?: boolean;
  /** pending: not settled yet; delivered: a text arrived (the person may still answer); failed: did not reach them. */
  status: 'pending' | 'delivered' | 'failed';
}

export interface LifecycleState {
  schemaVersion: 1;
  phase: Phase;
  /** The escalation tier the ladder runs on: the case's risk, which only goes up. */
  tier: RiskLevel;
  /** The script chosen by triage for this case's conversations. */
  flowId?: string;
  /** Which script a new conversation starts on: the case's own, or the follow-up (after close, reopened). */
  script: 'case' | 'follow_up';
  /** Index of the current rung of the tier's ladder; -1 before triage; ladder.length when every rung failed. */
  rung: number;
  reached: boolean;
  /** Contact attempts made so far; numbers the next one. */
  attempts: number;
  live: LiveContact[];
  deadChannels: ChannelName[];
  relativesAsked: number;
  reviewReasons: string[];
  visitReasons: string[];
  timers: Timer[];
  callbacks: number;
  /** The conversation's channel; whether the script has ended; whether it expects an answer now. */
  conversation?: { channel: ChannelName; ended: boolean; awaiting: boolean };
  /** The attempt number of the call in progress, once answered. */
  onCall?: number;
  followUps: number;
  reopened: number;
  outcome?: Outcome;
}

export interface CaseFacts {
  riskLevel: RiskLevel;
  warningCount: number;
  amount?: number;
  scamType: ScamType;
  locale: Locale;
  /** The case has a Telegram chat and Telegram is configured. */
  telegram: boolean;
  relatives: number;
  optedOut: boolean;
}

export interface LifecycleWorld {
  now: string;
  policy: Policy;
  utcOffsetMinutes: number;
  facts: CaseFacts;
  /** The case's unresolved handoff, as it stands when the event happens. */
  handoff: { reason: string; priority: number; status: 'open' | 'claimed' } | null;
  /** A desk phone is configured: a call can be connected to a person. */
  deskNumber: boolean;
}

/** What the conversation's step did, as the lifecycle needs it (built from flows/engine's StepResult). */
export interface ConversationStep {
  channel: ChannelName;
  trigger: 'start' | 'reply' | 'no_reply' | 'voicemail';
  /** The reply was stored but the script did not run: an officer holds the case. */
  officerHolds?: boolean;
  ended: boolean;
  outcome?: Outcome;
  handoffs: { reason: HandoffReason; priority?: number; note?: string }[];
  callbackAfterMinutes?: number;
  contactRelative?: boolean;
  noReplyAfterSeconds?: number;
  /** The reply was classified at risk (whatever the script did with it). */
  atRisk?: HandoffReason;
  /** The state the conversation now stands in promises a human (its entry hands off). */
  promisesHuman?: HandoffReason;
  /** The channel closes the contact after the prompts (voice: the call would be hung up). */
  hangup?: boolean;
}

/** What the station found at the door: met (outcome says how it ended), nobody there, a refusal, money already gone. */
export type VisitReport = 'met' | 'not_found' | 'refused' | 'paid';

export type AttemptOutcome = 'answered' | 'call_ended' | 'unanswered' | 'voicemail' | 'failed' | 'delivered' | 'undelivered';

export type LifecycleEvent =
  | { type: 'warning_received'; newCase: boolean }
  | { type: 'return_contact'; channel: ChannelName }
  | { type: 'attempt_outcome'; attempt: number; outcome: AttemptOutcome; permanent?: boolean }
  | { type: 'citizen_contact'; channel: ChannelName }
  | { type: 'conversation_step'; step: ConversationStep }
  | { type: 'handoff_claimed' }
  | { type: 'handoff_released' }
  | { type: 'handoff_returned' }
  | { type: 'handoff_resolved'; outcome: Outcome }
  | { type: 'visit_reported'; result: VisitReport; outcome?: Outcome; note?: string }
  // Organisation (issue 15): the second review (二次研判) decided; a visit carries the station and its deadline.
  | { type: 'review_decided'; decision: 'visit' | 'call_again' | 'false_alarm'; reason: string; station?: string; deadlineAt?: string }
  | { type: 'timer_due' }
  | { type: 'contact_after_close'; channel: ChannelName }
  | { type: 'opted_out' }
  | { type: 'opted_in' }
  | { type: 'human_requested'; note: string }
  | { type: 'relative_replied'; reason: HandoffReason }
  /** The police case system reports this person lost money (POST /api/fraud-reports): stop-payment now. */
  | { type: 'loss_reported'; note: string }
  | { type: 'automation_failing'; note: string };
export type LifecycleEventType = LifecycleEvent['type'];

export type ContactPurpose = 'warning' | 'callback' | 'follow_up';

export type LifecycleCommand =
  | { type: 'contact'; attempt: number; channel: ChannelName; purpose: ContactPurpose }
  | { type: 'contact_relative'; attempt: number; relative: number }
  | { type: 'cancel_contacts'; attempts: number[] }
  | { type: 'schedule'; action: CaseAction | null; at: string | null }
  | { type: 'open_handoff'; reason: HandoffReason; priority?: number; slaMinutes?: number; note?: string }
  | { type: 'request_visit'; reasons: string[]; note: string; /** a second review chose the station (issue 15) */ station?: string; deadlineAt?: string }
  | { type: 'visit_overdue' }
  | { type: 'step_conversation'; event: 'no_reply' }
  | { type: 'connect_desk' }
  | { type: 'close'; outcome: Outcome }
  | { type: 'reopen' }
  | { type: 'note'; action: string; detail?: Record<string, unknown> };
export type LifecycleCommandType = LifecycleCommand['type'];

export interface Transition {
  state: LifecycleState;
  commands: LifecycleCommand[];
  /** Phase changes this event made, in order (each an edge of LIFECYCLE_GRAPH). */
  moves: { from: Phase; to: Phase; on: string }[];
  /** Phase changes LIFECYCLE_GRAPH does not declare (a bug: tests require this to stay empty). */
  undeclared: { from: Phase; to: Phase; on: string }[];
}

/** Every phase change the machine can make, and why. docs/lifecycle.md is generated from this list. */
export const LIFECYCLE_GRAPH: { from: Phase; to: Phase; on: LifecycleEventType; because: string }[] = [
  { from: 'new', to: 'outreach', on: 'warning_received', because: 'triage: the tier’s ladder starts at its first rung' },
  { from: 'new', to: 'outreach', on: 'timer_due', because: 'triage left to a worker' },
  { from: 'new', to: 'human', on: 'warning_received', because: 'no channel can reach the person: a human at once' },
  { from: 'new', to: 'human', on: 'timer_due', because: 'no channel can reach the person: a human at once' },
  { from: 'new', to: 'conversation', on: 'return_contact', because: 'a citizen with no case called or wrote' },
  { from: 'new', to: 'closed', on: 'handoff_resolved', because: 'an officer decided the case' },
  { from: 'new', to: 'conversation', on: 'conversation_step', because: 'the person wrote before triage (triage still runs: the reviews)' },
  { from: 'new', to: 'conversation', on: 'citizen_contact', because: 'the person called before triage' },
  { from: 'new', to: 'conversation', on: 'contact_after_close', because: 'the person called or wrote before triage' },
  { from: 'new', to: 'human', on: 'opted_out', because: 'STOP before triage' },
  { from: 'new', to: 'outreach', on: 'handoff_returned', because: 'returned before triage: triage now' },
  { from: 'new', to: 'human', on: 'handoff_returned', because: 'returned before triage, and no channel can reach the person' },
  { from: 'outreach', to: 'outreach', on: 'warning_received', because: 're-triage raised the risk: the new tier’s ladder from its first rung' },
  { from: 'outreach', to: 'outreach', on: 'timer_due', because: 'rung deadline → the next rung; a held contact goes out' },
  { from: 'outreach', to: 'outreach', on: 'attempt_outcome', because: 'every contact of the rung failed → the next rung at once' },
  { from: 'outreach', to: 'human', on: 'warning_received', because: 'the new tier has no channel that can reach the person' },
  { from: 'outreach', to: 'human', on: 'attempt_outcome', because: 'the last rung failed → handoff unreachable (and a visit)' },
  { from: 'outreach', to: 'human', on: 'timer_due', because: 'the last rung’s deadline passed → handoff unreachable (and a visit)' },
  { from: 'outreach', to: 'human', on: 'opted_out', because: 'STOP: no more automatic contact; a person reaches them another way' },
  { from: 'outreach', to: 'conversation', on: 'attempt_outcome', because: 'a call was answered' },
  { from: 'outreach', to: 'conversation', on: 'conversation_step', because: 'the person replied' },
  { from: 'outreach', to: 'conversation', on: 'citizen_contact', because: 'the person called or wrote to us' },
  { from: 'outreach', to: 'conversation', on: 'contact_after_close', because: 'the person called or wrote to us' },
  { from: 'outreach', to: 'outreach', on: 'handoff_returned', because: 'back to the ladder, at the rung it stood on' },
  { from: 'outreach', to: 'human', on: 'handoff_returned', because: 'back to the ladder, and no channel is left' },
  { from: 'conversation', to: 'conversation', on: 'conversation_step', because: 'the script goes on' },
  { from: 'conversation', to: 'conversation', on: 'timer_due', because: 'silence, a call-back, a call that went quiet' },
  { from: 'conversation', to: 'human', on: 'conversation_step', because: 'the contact is over and a person is owed' },
  { from: 'conversation', to: 'human', on: 'timer_due', because: 'a call-back was due and no channel is left' },
  { from: 'conversation', to: 'human', on: 'attempt_outcome', because: 'the last call-back failed' },
  { from: 'conversation', to: 'human', on: 'opted_out', because: 'STOP' },
  { from: 'conversation', to: 'closed', on: 'conversation_step', because: 'the script ended with an outcome and no person owed' },
  { from: 'conversation', to: 'conversation', on: 'handoff_returned', because: 'the script waits for the person again' },
  { from: 'human', to: 'conversation', on: 'conversation_step', because: 'the person talks to the script while an officer is owed' },
  { from: 'human', to: 'outreach', on: 'handoff_returned', because: 'not reached: back to the ladder' },
  { from: 'human', to: 'conversation', on: 'handoff_returned', because: 'the script waits for the person again' },
  { from: 'human', to: 'closed', on: 'handoff_returned', because: 'returned after the script had ended' },
  { from: 'outreach', to: 'closed', on: 'handoff_resolved', because: 'an officer decided the case' },
  { from: 'conversation', to: 'closed', on: 'handoff_resolved', because: 'an officer decided the case' },
  { from: 'human', to: 'closed', on: 'handoff_resolved', because: 'an officer decided the case' },
  { from: 'outreach', to: 'closed', on: 'visit_reported', because: 'the station met the person' },
  { from: 'conversation', to: 'closed', on: 'visit_reported', because: 'the station met the person' },
  { from: 'human', to: 'closed', on: 'visit_reported', because: 'the station met the person' },
  // Organisation (issue 15): the second review's decisions and what the station reports.
  { from: 'new', to: 'closed', on: 'review_decided', because: 'the review found a false alarm' },
  { from: 'outreach', to: 'closed', on: 'review_decided', because: 'the review found a false alarm' },
  { from: 'conversation', to: 'closed', on: 'review_decided', because: 'the review found a false alarm' },
  { from: 'human', to: 'closed', on: 'review_decided', because: 'the review found a false alarm' },
  { from: 'human', to: 'outreach', on: 'review_decided', because: 'call again (not reached yet) or a visit while the ladder goes on' },
  { from: 'human', to: 'conversation', on: 'review_decided', because: 'call again, or a visit while the script waits' },
  { from: 'conversation', to: 'conversation', on: 'review_decided', because: 'call again or a visit while the script waits' },
  { from: 'outreach', to: 'human', on: 'review_decided', because: 'call again, and no channel is left' },
  { from: 'conversation', to: 'human', on: 'review_decided', because: 'call again, and no channel is left' },
  { from: 'closed', to: 'human', on: 'visit_reported', because: 'the station found money gone or a refusal after the case had closed: it reopens for a person' },
  { from: 'outreach', to: 'human', on: 'visit_reported', because: 'nobody at the door, a refusal, or money already gone: a person now' },
  { from: 'conversation', to: 'human', on: 'visit_reported', because: 'nobody at the door, a refusal, or money already gone: a person now' },
  { from: 'outreach', to: 'human', on: 'timer_due', because: 'the station did not report by its deadline' },
  { from: 'conversation', to: 'human', on: 'timer_due', because: 'the station did not report by its deadline' },
  { from: 'closed', to: 'conversation', on: 'contact_after_close', because: 'the citizen wrote or called: their own case reopens, with its history' },
  { from: 'closed', to: 'closed', on: 'timer_due', because: 'the follow-up check-in goes out' },
];

/** What each event means (docs/lifecycle.md); every event type must be here. */
export const LIFECYCLE_EVENTS: Record<LifecycleEventType, string> = {
  warning_received: 'a warning for this person (every warning, not only the first): triage, or re-triage',
  return_contact: 'a citizen with no case of their own called or wrote',
  attempt_outcome: 'a provider status or answer for one contact attempt, matched to that attempt',
  citizen_contact: 'the person called or wrote to us on an open case',
  conversation_step: 'the script took a step (a classified reply, silence, voicemail, the first prompt of a call)',
  handoff_claimed: 'an officer claimed the case',
  handoff_released: 'an officer put the case back in the queue',
  handoff_returned: 'an officer returned the case to the automation',
  handoff_resolved: 'an officer decided the case with an outcome',
  visit_reported: 'a police station reported its visit (issue 15 plugs the station page in here)',
  timer_due: 'the case’s next action is due',
  contact_after_close: 'the citizen wrote or called after their case closed',
  opted_out: 'STOP by SMS',
  opted_in: 'START by SMS',
  human_requested: 'the citizen asked for an officer outside the script (Telegram /human)',
  relative_replied: 'a relative answered our message',
  automation_failing: 'automatic work on the case keeps failing',
  review_decided: 'the second review (二次研判) decided: visit, call again, or close as a false alarm',
  loss_reported: 'a fraud report matched the person: money was lost',
};

/** What each command does when server/cases/outbox.ts carries it out; every command type must be here. */
export const LIFECYCLE_COMMANDS: Record<LifecycleCommandType, string> = {
  contact: 'an attempt row and an outbox row (a call, or the script’s first prompt as a message), in the decision’s transaction',
  contact_relative: 'an attempt row and an outbox row with the relative flow’s first prompt (minimal disclosure)',
  cancel_contacts: 'outbox rows of these attempts that nobody has started to send are called off',
  schedule: 'the case’s next action and its moment (cases.next_action / next_action_at)',
  open_handoff: 'a handoff opened, or the open one raised (priority, reason, deadline)',
  request_visit: 'a police-station visit requested (for now on the case’s handoff; issue 15 turns it into a station task)',
  step_conversation: 'the script’s silence handling runs, and its step comes back as conversation_step',
  connect_desk: 'the call in progress is connected to the desk phone (<Dial>)',
  close: 'the case closes with an outcome',
  reopen: 'the closed case opens again, its history kept',
  visit_overdue: 'a station visit past its deadline goes to the district supervisor',
  note: 'a line in the case’s audit trail',
};

/** What each next action does when due. */
export const CASE_ACTION_DOCS: Record<CaseAction, string> = {
  triage: 'triage left to a worker (intake without the services to decide)',
  contact: 'a contact held by quiet hours goes out',
  rung_deadline: 'nobody reached in time: the next rung',
  no_reply: 'the script’s silence handling',
  call_watchdog: 'a call no status callback has spoken of: counted as unanswered (or as ended, once answered)',
  callback: 'a call-back the script scheduled',
  follow_up: 'the check-in some days after close',
  visit_due: 'the station visit’s deadline',
};

/** Handoff reasons that mean a person is owed to the citizen now (the script said so, or they are at risk). */
const OWED: readonly string[] = ['already_paid', 'mid_scam', 'request_human', 'distrust', 'low_confidence'];
/** How soon an officer must call back someone at risk whose call we could not connect. */
export const CALL_BACK_MINUTES = 2;
/** How long a voice attempt may stay without any status callback before it counts as unanswered. */
export const CALL_WATCHDOG_MINUTES = 10;
/** After a call ends mid-conversation, the script's silence handling takes over after this. */
const AFTER_CALL_SILENCE_SECONDS = 60;
/** Waiting for a reply when the script does not say how long. */
const DEFAULT_NO_REPLY_SECONDS = 30 * 60;
/** Returned to the script mid-conversation: wait for the person as the script would. */
const RETURNED_WAIT_MINUTES = 30;

const RISK_RANK: Record<RiskLevel, number> = { low: 0, medium: 1, high: 2 };

export function initialState(): LifecycleState {
  return {
    schemaVersion: 1,
    phase: 'new',
    tier: 'medium',
    script: 'case',
    rung: -1,
    reached: false,
    attempts: 0,
    live: [],
    deadChannels: [],
    relativesAsked: 0,
    reviewReasons: [],
    visitReasons: [],
    timers: [],
    callbacks: 0,
    followUps: 0,
    reopened: 0,
  };
}

/** A state whose triage is left to a worker (intake without the services to decide). */
export function deferredTriage(now: string): LifecycleState {
  return { ...initialState(), timers: [{ action: 'triage', at: now }] };
}

/** The case's next action: its earliest timer. */
export function nextAction(s: LifecycleState): { action: CaseAction; at: string } | null {
  const t = [...s.timers].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))[0];
  return t ? { action: t.action, at: t.at } : null;
}

const iso = (ms: number) => new Date(ms).toISOString();
const addMinutes = (at: string, minutes: number) => iso(Date.parse(at) + minutes * 60_000);

class Run {
  readonly commands: LifecycleCommand[] = [];
  readonly moves: Transition['moves'] = [];
  readonly undeclared: Transition['undeclared'] = [];
  private opened: { reason: string; priority: number } | null = null;
  constructor(
    readonly s: LifecycleState,
    readonly w: LifecycleWorld,
    readonly on: LifecycleEventType,
  ) {}

  get tier(): EscalationTier {
    return this.w.policy.escalation[this.s.tier];
  }

  emit(c: LifecycleCommand): void {
    this.commands.push(c);
  }

  note(action: string, detail?: Record<string, unknown>): void {
    this.emit({ type: 'note', action, ...(detail ? { detail } : {}) });
  }

  move(to: Phase): void {
    const from = this.s.phase;
    this.s.phase = to;
    this.moves.push({ from, to, on: this.on });
    if (!LIFECYCLE_GRAPH.some((e) => e.from === from && e.to === to && e.on === this.on)) this.undeclared.push({ from, to, on: this.on });
  }

  /** Records a declared self-loop (the phase stays, something happened in it), once per event. */
  stay(): void {
    const p = this.s.phase;
    if (!this.moves.some((m) => m.from === p && m.to === p)) this.move(p);
  }

  /** The handoff that will be active once this event's commands are carried out. */
  handoff(): { reason: string; priority: number } | null {
    const h = this.w.handoff;
    if (!h) return this.opened;
    if (this.opened && this.opened.priority > h.priority) return this.opened;
    return h;
  }

  openHandoff(reason: HandoffReason, opts: { priority?: number; slaMinutes?: number; note?: string } = {}): void {
    this.emit({ type: 'open_handoff', reason, ...opts });
    const priority = opts.priority ?? defaultPriority(reason, this.w.facts.riskLevel);
    if (!this.opened || priority > this.opened.priority) this.opened = { reason, priority };
  }
}

function defaultPriority(reason: string, risk: RiskLevel): number {
  if (reason === 'already_paid') return HANDOFF_PRIORITIES.already_paid;
  if (reason === 'mid_scam') return HANDOFF_PRIORITIES.mid_scam;
  if (reason === 'unreachable') return risk === 'high' ? HANDOFF_PRIORITIES.unreachable_high : HANDOFF_PRIORITIES.normal;
  if (reason === 'review') return HANDOFF_PRIORITIES.review;
  return HANDOFF_PRIORITIES.normal;
}

export function transition(state: LifecycleState, event: LifecycleEvent, world: LifecycleWorld): Transition {
  const s: LifecycleState = structuredClone(state);
  const r = new Run(s, world, event.type);
  const before = nextAction(state);
  handle(r, event);
  const after = nextAction(s);
  if (before?.action !== after?.action || before?.at !== after?.at) r.emit({ type: 'schedule', action: after?.action ?? null, at: after?.at ?? null });
  for (const u of r.undeclared) r.note('undeclared_transition', u);
  return { state: s, commands: r.commands, moves: r.moves, undeclared: r.undeclared };
}

function handle(r: Run, e: LifecycleEvent): void {
  const { s } = r;
  switch (e.type) {
    case 'warning_received':
      return e.newCase || s.rung < 0 ? triage(r) : retriage(r);
    case 'return_contact':
      s.flowId = r.w.policy.flows.returnContact;
      s.tier = r.w.facts.riskLevel;
      s.reached = true;
      s.conversation = { channel: e.channel, ended: false, awaiting: true };
      // The script's first step replaces this wait; until it comes, silence is handled like any other.
      setNoReply(r, DEFAULT_NO_REPLY_SECONDS);
      return r.move('conversation');
    case 'attempt_outcome':
      return attemptOutcome(r, e);
    case 'citizen_contact':
      if (s.phase === 'closed') return;
      return reach(r, e.channel);
    case 'conversation_step':
      return conversationStep(r, e.step);
    case 'handoff_claimed':
    case 'handoff_released':
      return;
    case 'handoff_returned':
      return returned(r);
    case 'handoff_resolved':
      if (s.phase === 'closed') return;
      return close(r, e.outcome);
    case 'visit_reported':
      // The case closed while the station was on its way (the script or an officer closed it), and the door
      // says otherwise: money gone, or a refusal. The case reopens for a person.
      if (s.phase === 'closed' && (e.result === 'paid' || e.result === 'refused')) {
        s.reopened += 1;
        s.outcome = undefined;
        s.timers = s.timers.filter((t) => t.action !== 'visit_due' && t.action !== 'follow_up');
        r.emit({ type: 'reopen' });
      } else if (s.phase === 'closed' || s.phase === 'new') return r.note('visit_reported', { result: e.result, ignored: `case is ${s.phase}` });
      s.timers = s.timers.filter((t) => t.action !== 'visit_due');
      r.note('visit_reported', { result: e.result, ...(e.note ? { note: e.note } : {}) });
      if (e.result === 'met') return close(r, e.outcome ?? 'visit_dispatched');
      // Nobody at the door, a refusal, money gone: the case stays with a person, more urgently.
      if (e.result === 'paid') r.openHandoff('already_paid', { priority: HANDOFF_PRIORITIES.already_paid, note: `station visit: already paid — stop-payment now${e.note ? ` (${e.note})` : ''}` });
      else if (e.result === 'refused') r.openHandoff('distrust', { priority: HANDOFF_PRIORITIES.mid_scam, note: `station visit: refused to talk${e.note ? ` (${e.note})` : ''}` });
      else r.openHandoff('unreachable', { priority: HANDOFF_PRIORITIES.unreachable_high, note: `station visit: nobody found${e.note ? ` (${e.note})` : ''}` });
      if (e.result !== 'not_found' && s.phase !== 'human') r.move('human');
      return;
    case 'review_decided':
      return reviewDecided(r, e);
    case 'timer_due':
      return timersDue(r);
    case 'contact_after_close':
      if (s.phase !== 'closed') return reach(r, e.channel);
      s.reopened += 1;
      s.outcome = undefined;
      s.script = 'follow_up';
      s.reached = true;
      s.timers = [];
      s.conversation = { channel: e.channel, ended: true, awaiting: true };
      setNoReply(r, DEFAULT_NO_REPLY_SECONDS);
      r.emit({ type: 'reopen' });
      return r.move('conversation');
    case 'opted_out': {
      if (!s.deadChannels.includes('sms')) s.deadChannels.push('sms');
      if (s.phase === 'closed') return;
      stopContacts(r);
      s.timers = s.timers.filter((t) => t.action === 'follow_up' || t.action === 'triage');
      r.openHandoff('opted_out', { note: 'citizen replied STOP to warning SMS: reach them another way' });
      if (s.phase !== 'human') r.move('human');
      return;
    }
    case 'opted_in':
      s.deadChannels = s.deadChannels.filter((c) => c !== 'sms');
      return;
    case 'human_requested':
      if (s.phase === 'closed') return;
      return r.openHandoff('request_human', { note: e.note });
    case 'relative_replied':
      if (s.phase === 'closed') return;
      return r.openHandoff(e.reason, { note: 'a relative replied to our SMS' });
    case 'loss_reported':
      if (s.phase === 'closed') return;
      return r.openHandoff('already_paid', { note: e.note });
    case 'automation_failing':
      if (s.phase === 'closed') return;
      return r.openHandoff('other', { note: e.note });
  }
}

// ---- triage --------------------------------------------------------------------------------------------

function triagePlan(r: Run) {
  const f = r.w.facts;
  return planTriage(r.w.policy, { scamType: f.scamType, locale: f.locale, riskLevel: f.riskLevel, warningCount: f.warningCount, amount: f.amount });
}

function triage(r: Run): void {
  const { s } = r;
  const plan = triagePlan(r);
  s.flowId = plan.flowId;
  s.tier = plan.tier;
  s.timers = s.timers.filter((t) => t.action !== 'triage');
  r.note('triaged', { flowId: plan.flowId, tier: plan.tier, reviewReasons: plan.reviewReasons, visitReasons: plan.visitReasons });
  reviewAndVisit(r, plan.reviewReasons, plan.visitReasons);
  // A legacy case whose person had already answered, or one a person already holds (STOP before triage).
  if (s.reached || (s.phase === 'human' && r.handoff())) return;
  startRung(r, 0);
}

/** Every warning after the first: the review and visit rules again, and a raised risk re-plans the ladder. */
function retriage(r: Run): void {
  const { s } = r;
  const plan = triagePlan(r);
  s.timers = s.timers.filter((t) => t.action !== 'triage');
  const raised = RISK_RANK[plan.tier] > RISK_RANK[s.tier];
  r.note('retriaged', { warningCount: r.w.facts.warningCount, tier: plan.tier, raised });
  reviewAndVisit(r, plan.reviewReasons, plan.visitReasons);
  if (!raised) return;
  s.tier = plan.tier;
  if (!s.reached && s.conversation === undefined) s.flowId = plan.flowId;
  // Not reached yet: the new tier's ladder from its first rung, now (a call even if a text went out).
  if (s.phase === 'outreach' && !s.reached) {
    stopContacts(r);
    startRung(r, 0);
  }
}

function reviewAndVisit(r: Run, reviewReasons: string[], visitReasons: string[]): void {
  const { s } = r;
  const newReview = reviewReasons.filter((x) => !s.reviewReasons.includes(x));
  const newVisit = visitReasons.filter((x) => !s.visitReasons.includes(x));
  s.reviewReasons.push(...newReview);
  s.visitReasons.push(...newVisit);
  if (newReview.length || newVisit.length) {
    const parts = [];
    if (s.reviewReasons.length) parts.push(`second review: ${s.reviewReasons.join(', ')}`);
    if (s.visitReasons.length) parts.push(`station visit requested: ${s.visitReasons.join(', ')}`);
    if (newReview.length) r.openHandoff('review', { note: parts.join('; ') });
    if (newVisit.length) r.emit({ type: 'request_visit', reasons: [...s.visitReasons], note: parts.join('; ') });
  }
}

// ---- the ladder ------------------------------------------------------------------------------------------

/** The channel a rung's contact resolves to for this case, or undefined when the case cannot use it. */
function resolveChannel(r: Run, c: ContactChannel): ChannelName | undefined {
  const { s, w } = r;
  const usable = (ch: ChannelName) => !s.deadChannels.includes(ch) && (ch !== 'telegram' || w.facts.telegram) && (ch !== 'sms' || !w.facts.optedOut);
  if (c === 'text') return usable('telegram') ? 'telegram' : usable('sms') ? 'sms' : undefined;
  return usable(c) ? c : undefined;
}

/** When quiet hours hold this kind of contact now, the moment they end. */
function heldUntil(r: Run, kind: 'call' | 'text', at = r.w.now): string | undefined {
  const hold = r.tier.quietHours;
  if (hold === 'nothing' || (hold === 'calls' && kind === 'text')) return undefined;
  return quietWindowEnd(r.w.policy.quietHours, new Date(at), r.w.utcOffsetMinutes);
}

/** While quiet hours hold anything for the tier, the ladder does not climb: a deadline inside moves to their end. */
function deadlineAfter(r: Run, minutes: number, from: string): string {
  const at = addMinutes(from, minutes);
  if (r.tier.quietHours === 'nothing') return at;
  return quietWindowEnd(r.w.policy.quietHours, new Date(at), r.w.utcOffsetMinutes) ?? at;
}

function startRung(r: Run, index: number): void {
  const { s } = r;
  const ladder = r.tier.ladder;
  for (let i = index; ; i++) {
    s.timers = s.timers.filter((t) => t.action !== 'contact' && t.action !== 'rung_deadline');
    s.live = [];
    if (i >= ladder.length) return exhausted(r);
    s.rung = i;
    const rung = ladder[i]!;
    // The rung runs from when its last contact goes out (a contact held by quiet hours goes out at their end).
    let start = r.w.now;
    const made: string[] = [];
    const held: string[] = [];
    if (rung.relatives) {
      if (s.relativesAsked >= r.w.facts.relatives) continue; // nobody left to ask: the next rung now
      const until = heldUntil(r, 'text');
      if (until) {
        s.timers.push({ action: 'contact', at: until, rung: i });
        start = until;
      } else askRelative(r);
    } else {
      const channels = [...new Set((rung.contact ?? []).map((c) => resolveChannel(r, c)).filter((c): c is ChannelName => !!c))];
      if (!channels.length) {
        r.note('rung_skipped', { rung: i + 1, why: 'no usable channel' });
        continue;
      }
      for (const channel of channels) {
        const until = heldUntil(r, channel === 'voice' ? 'call' : 'text');
        if (until) {
          s.timers.push({ action: 'contact', at: until, channel, rung: i });
          held.push(channel);
          if (until > start) start = until;
        } else {
          contact(r, channel, 'warning');
          made.push(channel);
        }
      }
    }
    s.timers.push({ action: 'rung_deadline', at: deadlineAfter(r, rung.deadlineMinutes, start), rung: i });
    if (s.phase === 'new' || s.phase === 'human') r.move('outreach');
    else if (s.phase === 'outreach') r.stay();
    r.note('rung_started', { rung: i + 1, of: ladder.length, tier: s.tier, contacts: made, ...(held.length ? { heldUntilQuietHoursEnd: held } : {}), ...(rung.relatives ? { relatives: true } : {}) });
    return;
  }
}

function contact(r: Run, channel: ChannelName, purpose: ContactPurpose): void {
  const { s } = r;
  s.attempts += 1;
  s.live.push({ attempt: s.attempts, channel, status: 'pending', ...(purpose === 'callback' ? { callback: true } : {}) });
  r.emit({ type: 'contact', attempt: s.attempts, channel, purpose });
  if (channel === 'voice') s.timers.push({ action: 'call_watchdog', at: addMinutes(r.w.now, CALL_WATCHDOG_MINUTES) });
}

function askRelative(r: Run): void {
  const { s } = r;
  s.attempts += 1;
  s.live.push({ attempt: s.attempts, channel: 'sms', toRelative: true, status: 'pending' });
  r.emit({ type: 'contact_relative', attempt: s.attempts, relative: s.relativesAsked });
  s.relativesAsked += 1;
}

function exhausted(r: Run): void {
  const { s } = r;
  s.rung = r.tier.ladder.length;
  s.live = [];
  s.timers = s.timers.filter((t) => t.action !== 'contact' && t.action !== 'rung_deadline' && t.action !== 'call_watchdog');
  const visit = r.tier.unreachable.visit || s.visitReasons.length > 0;
  const note = `not reached after ${s.attempts} attempt(s)${visit ? '; station visit requested' : ''}`;
  r.openHandoff('unreachable', { ...(r.tier.unreachable.priority !== undefined ? { priority: r.tier.unreachable.priority } : {}), note });
  if (visit) r.emit({ type: 'request_visit', reasons: s.visitReasons.length ? [...s.visitReasons] : ['unreachable'], note });
  if (s.phase !== 'human') r.move('human');
}

/** Contacts not yet made are called off (the person was reached, the case closed, or the ladder re-planned). */
function stopContacts(r: Run): void {
  const { s } = r;
  const pending = s.live.filter((c) => c.status === 'pending').map((c) => c.attempt);
  if (pending.length) r.emit({ type: 'cancel_contacts', attempts: pending });
  s.live = [];
  s.timers = s.timers.filter((t) => t.action !== 'contact' && t.action !== 'rung_deadline' && t.action !== 'call_watchdog');
}

function reach(r: Run, channel: ChannelName): void {
  const { s } = r;
  if (!s.reached) {
    s.reached = true;
    r.note('reached', { channel });
  }
  const onCall = s.onCall;
  stopContacts(r);
  // Until the script's step says what it waits for: a watch on the call, or the usual wait for an answer.
  if (onCall !== undefined) s.timers.push({ action: 'call_watchdog', at: addMinutes(r.w.now, CALL_WATCHDOG_MINUTES) });
  else if (!s.timers.some((t) => t.action === 'no_reply' || t.action === 'callback')) setNoReply(r, DEFAULT_NO_REPLY_SECONDS);
  if (s.phase === 'outreach' || s.phase === 'new') r.move('conversation');
}

function attemptOutcome(r: Run, e: Extract<LifecycleEvent, { type: 'attempt_outcome' }>): void {
  const { s } = r;
  if (e.outcome === 'call_ended') {
    // The call that was answered has ended: the script's silence handling takes over if it still waits.
    if (s.onCall !== e.attempt) return r.note('attempt_superseded', { attempt: e.attempt, outcome: e.outcome });
    s.onCall = undefined;
    s.timers = s.timers.filter((t) => t.action !== 'call_watchdog');
    if (s.phase === 'conversation' && (s.conversation?.awaiting ?? true) && !s.timers.some((t) => t.action === 'callback')) setNoReply(r, AFTER_CALL_SILENCE_SECONDS);
    return;
  }
  const c = s.live.find((x) => x.attempt === e.attempt);
  // A status for an attempt the case has moved past, or a second terminal status: recorded, changes nothing.
  if (!c || c.status === 'failed' || (c.status === 'delivered' && e.outcome === 'delivered')) return r.note('attempt_superseded', { attempt: e.attempt, outcome: e.outcome });
  if (e.outcome === 'answered') {
    s.onCall = e.attempt;
    c.status = 'delivered';
    return reach(r, c.channel);
  }
  if (e.outcome === 'delivered') {
    c.status = 'delivered';
    return;
  }
  c.status = 'failed';
  const dead = e.permanent || (c.channel !== 'voice' && !c.toRelative && (e.outcome === 'undelivered' || e.outcome === 'failed'));
  if (dead && !c.toRelative && !s.deadChannels.includes(c.channel)) s.deadChannels.push(c.channel);
  if (c.channel === 'voice') s.timers = s.timers.filter((t) => t.action !== 'call_watchdog');
  r.note('attempt_failed', { attempt: e.attempt, channel: c.channel, outcome: e.outcome, ...(dead ? { channelDropped: true } : {}) });
  if (c.callback) return callbackFailed(r);
  if (s.phase !== 'outreach') return;
  const rungDone = s.live.every((x) => x.status === 'failed') && !s.timers.some((t) => t.action === 'contact' && t.rung === s.rung);
  if (rungDone) startRung(r, s.rung + 1);
}

// ---- the conversation -----------------------------------------------------------------------------------

function setNoReply(r: Run, seconds: number): void {
  const { s } = r;
  s.timers = s.timers.filter((t) => t.action !== 'no_reply');
  s.timers.push({ action: 'no_reply', at: iso(Date.parse(r.w.now) + seconds * 1000) });
}

function conversationStep(r: Run, step: ConversationStep): void {
  const { s } = r;
  if (s.phase === 'closed') return; // a reply to a closed case is first a contact_after_close
  if (step.trigger === 'reply') reach(r, step.channel);
  if (step.officerHolds) return;
  if (!s.reached) {
    // Not reached (a voicemail's message, a first prompt): only a handoff the script asked for matters here.
    for (const h of step.handoffs) r.openHandoff(h.reason, { ...(h.priority !== undefined ? { priority: h.priority } : {}), ...(h.note ? { note: h.note } : {}) });
    return;
  }
  // The contact is over when the script ended or hangs up; the conversation goes on at the next contact.
  const over = step.ended || !!step.hangup;
  s.conversation = { channel: step.channel, ended: step.ended, awaiting: !over };
  s.timers = s.timers.filter((t) => t.action !== 'no_reply');

  for (const h of step.handoffs) r.openHandoff(h.reason, { ...(h.priority !== undefined ? { priority: h.priority } : {}), ...(h.note ? { note: h.note } : {}) });
  // Citizens' safety first: an at-risk reply always reaches a person, whatever the script says; and a
  // script standing in a state that promises an officer keeps the promise (e.g. after "return to flow").
  if (step.atRisk && !step.handoffs.length) r.openHandoff(step.atRisk, { note: 'at-risk reply; the script did not hand off' });
  if (step.promisesHuman && !step.handoffs.length && !r.handoff()) r.openHandoff(step.promisesHuman, { note: 'the script promised an officer' });

  // Nobody at risk is hung up on: connect the call to the desk, or promise a call-back that an officer owes first.
  // Either way the case goes to the top of the queue with a call-back deadline (the desk may not pick up).
  const owed = r.handoff();
  if (step.channel === 'voice' && step.hangup && owed && OWED.includes(owed.reason)) {
    if (r.w.deskNumber) r.emit({ type: 'connect_desk' });
    else r.note('call_back_promised', { reason: owed.reason, withinMinutes: CALL_BACK_MINUTES });
    if (owed.priority < HANDOFF_PRIORITIES.already_paid)
      r.openHandoff(owed.reason as HandoffReason, { priority: HANDOFF_PRIORITIES.already_paid, slaMinutes: CALL_BACK_MINUTES, note: `at risk on a call: an officer calls back within ${CALL_BACK_MINUTES} minutes` });
  }

  if (step.contactRelative && s.relativesAsked < r.w.facts.relatives) askRelative(r);
  if (step.callbackAfterMinutes !== undefined) {
    if (s.callbacks >= r.w.policy.callbacks.max) {
      r.openHandoff('unreachable', { note: `the script asked for call-back ${s.callbacks + 1}; after ${s.callbacks} a person takes over` });
    } else {
      s.callbacks += 1;
      s.timers = s.timers.filter((t) => t.action !== 'callback');
      s.timers.push({ action: 'callback', at: addMinutes(r.w.now, step.callbackAfterMinutes), channel: step.channel });
    }
  }
  if (!over && !(step.channel === 'voice' && s.onCall !== undefined)) setNoReply(r, step.noReplyAfterSeconds ?? DEFAULT_NO_REPLY_SECONDS);
  if (!over && step.channel === 'voice' && step.trigger === 'start' && s.onCall === undefined && !s.timers.some((t) => t.action === 'call_watchdog')) {
    // An incoming call: no attempt of ours watches it, so a timer does.
    s.timers.push({ action: 'call_watchdog', at: addMinutes(r.w.now, CALL_WATCHDOG_MINUTES) });
  }
  if (step.ended && step.outcome) s.outcome = step.outcome;

  // Something still to happen on its own: a call-back, or the script's silence handling.
  const waits = s.timers.some((t) => t.action === 'callback' || t.action === 'no_reply');
  if (r.handoff()) {
    if (over && !waits) {
      if (s.phase !== 'human') r.move('human');
    } else if (s.phase !== 'conversation') r.move('conversation');
    return;
  }
  if (step.ended && !waits) return close(r, step.outcome ?? s.outcome ?? 'safe_aware');
  // The contact is over with nothing planned: the script's silence handling runs later.
  if (over && !waits) setNoReply(r, DEFAULT_NO_REPLY_SECONDS);
  if (s.phase !== 'conversation') r.move('conversation');
  else r.stay();
}

function callbackFailed(r: Run): void {
  const { s } = r;
  if (s.callbacks >= r.w.policy.callbacks.max) {
    r.openHandoff('unreachable', { note: `not reached on ${s.callbacks} call-back(s)` });
    if (s.phase !== 'human') r.move('human');
    return;
  }
  s.callbacks += 1;
  s.timers.push({ action: 'callback', at: addMinutes(r.w.now, 30), channel: s.conversation?.channel ?? 'voice' });
}

function returned(r: Run): void {
  const { s } = r;
  if (s.phase === 'closed') return;
  if (s.rung < 0 && !s.reached) return triage(r); // returned before triage ran: triage now
  if (!s.reached) {
    // Not reached yet: back to the ladder, at the rung it stood on (from the first when it had failed).
    const ladder = r.tier.ladder;
    return startRung(r, s.rung >= 0 && s.rung < ladder.length ? s.rung : 0);
  }
  if (s.conversation && !s.conversation.ended) {
    s.timers = s.timers.filter((t) => t.action !== 'no_reply');
    s.timers.push({ action: 'no_reply', at: addMinutes(r.w.now, RETURNED_WAIT_MINUTES) });
    return r.move('conversation');
  }
  if (s.timers.length) return r.move('conversation');
  close(r, s.outcome ?? 'returned_to_flow'); // only from `human`: a conversation that ended with a person owed waits there
}

// ---- timers ---------------------------------------------------------------------------------------------

function timersDue(r: Run): void {
  const { s } = r;
  const due = s.timers.filter((t) => t.at <= r.w.now).sort((a, b) => (a.at < b.at ? -1 : 1));
  s.timers = s.timers.filter((t) => t.at > r.w.now);
  for (const t of due) fire(r, t);
}

function fire(r: Run, t: Timer): void {
  const { s } = r;
  switch (t.action) {
    case 'triage':
      return s.rung < 0 ? triage(r) : retriage(r);
    case 'contact': {
      if (s.phase !== 'outreach' || t.rung !== s.rung) return;
      const rung = r.tier.ladder[s.rung];
      if (rung?.relatives) {
        if (s.relativesAsked < r.w.facts.relatives) askRelative(r);
        return r.stay();
      }
      const channel = t.channel && resolveChannel(r, t.channel);
      if (!channel) return;
      const until = heldUntil(r, channel === 'voice' ? 'call' : 'text');
      if (until) s.timers.push({ ...t, at: until });
      else contact(r, channel, 'warning');
      return r.stay();
    }
    case 'rung_deadline':
      if (s.phase !== 'outreach' || t.rung !== s.rung) return;
      return startRung(r, s.rung + 1);
    case 'no_reply':
      if (s.phase === 'closed') return;
      r.emit({ type: 'step_conversation', event: 'no_reply' });
      if (s.phase === 'conversation') r.stay();
      return;
    case 'call_watchdog': {
      // No status callback came for a call: count it as unanswered, or as ended if it was answered.
      if (s.onCall !== undefined) {
        s.onCall = undefined;
        if (s.phase === 'conversation') setNoReply(r, 0);
        return;
      }
      const call = s.live.find((c) => c.channel === 'voice' && c.status === 'pending');
      if (call) return attemptOutcome(r, { type: 'attempt_outcome', attempt: call.attempt, outcome: 'unanswered' });
      if (s.phase === 'conversation' && s.conversation && !s.conversation.ended && !s.timers.some((x) => x.action === 'no_reply')) setNoReply(r, 0);
      return;
    }
    case 'visit_due': {
      // The station did not report by its deadline: its district's desk takes the case, urgently.
      if (s.phase === 'closed') return;
      // The handoff first: carrying out visit_overdue flags it for the district's supervisors.
      r.openHandoff('unreachable', { priority: HANDOFF_PRIORITIES.unreachable_high, note: 'station visit overdue: no report by its deadline' });
      r.emit({ type: 'visit_overdue' });
      if (s.phase !== 'human') r.move('human');
      return;
    }
    case 'callback': {
      if (s.phase === 'closed') return;
      const channel = t.channel && (resolveChannel(r, t.channel) ?? resolveChannel(r, 'text') ?? resolveChannel(r, 'voice'));
      if (!channel) {
        r.openHandoff('unreachable', { note: 'a call-back was due and no channel is left' });
        if (s.phase !== 'human') r.move('human');
        return;
      }
      s.live = s.live.filter((c) => c.status === 'pending');
      contact(r, channel, 'callback');
      if (channel !== 'voice') setNoReply(r, DEFAULT_NO_REPLY_SECONDS);
      if (s.phase === 'conversation') r.stay();
      return;
    }
    case 'follow_up': {
      if (s.phase !== 'closed') return;
      const channel = resolveChannel(r, 'text');
      if (!channel) return r.note('follow_up_skipped', { why: 'no text channel' });
      s.followUps += 1;
      s.script = 'follow_up';
      s.attempts += 1;
      s.live = [{ attempt: s.attempts, channel, status: 'pending' }];
      r.emit({ type: 'contact', attempt: s.attempts, channel, purpose: 'follow_up' });
      return r.move('closed');
    }
  }
}

// ---- closing --------------------------------------------------------------------------------------------

/**
 * Organisation (issue 15): the second review's decision. A false alarm closes the case; "call again" places
 * a call now (a call-back, through the tier's channels); a visit sends the chosen station with a deadline
 * (a visit_due timer: an overdue visit comes back to a person). Outreach and the script go on meanwhile.
 */
function reviewDecided(r: Run, e: Extract<LifecycleEvent, { type: 'review_decided' }>): void {
  const { s } = r;
  if (s.phase === 'closed') return;
  r.note('review_decided', { decision: e.decision, reason: e.reason, ...(e.station ? { station: e.station } : {}) });
  if (e.decision === 'false_alarm') return close(r, 'false_alarm');
  if (e.decision === 'visit') {
    r.emit({ type: 'request_visit', reasons: ['review'], note: e.reason, ...(e.station ? { station: e.station } : {}), ...(e.deadlineAt ? { deadlineAt: e.deadlineAt } : {}) });
    s.timers = s.timers.filter((t) => t.action !== 'visit_due');
    if (e.deadlineAt) s.timers.push({ action: 'visit_due', at: e.deadlineAt });
  } else if (s.phase === 'new') {
    // Not triaged yet: the call goes with the triage the worker is about to do.
    s.timers.push({ action: 'callback', at: r.w.now, channel: 'voice' });
  } else {
    if (s.phase === 'human') r.move(s.reached ? 'conversation' : 'outreach');
    return fire(r, { action: 'callback', at: r.w.now, channel: 'voice' });
  }
  if (s.phase === 'human') r.move(s.reached ? 'conversation' : 'outreach');
}

function close(r: Run, outcome: Outcome): void {
  const { s } = r;
  stopContacts(r);
  s.timers = [];
  s.onCall = undefined;
  s.outcome = outcome;
  if (s.conversation) s.conversation = { ...s.conversation, awaiting: false };
  r.emit({ type: 'close', outcome });
  const f = r.w.policy.followUp;
  if (f && f.outcomes.includes(outcome) && s.followUps === 0) s.timers.push({ action: 'follow_up', at: iso(Date.parse(r.w.now) + f.afterDays * 86_400_000) });
  r.move('closed');
}

/** The state of a case written before the lifecycle existed (migration 004): what its old columns say. */
export function legacyState(c: { status: string; next_action: string | null; next_action_at: string | null; risk_level: string; plan: string | null; outcome: string | null }): LifecycleState {
  const s = initialState();
  let plan: { flowId?: string; ladder?: { reached?: boolean; totalAttempts?: number } } | null;
  try {
    plan = c.plan ? JSON.parse(c.plan) : null;
  } catch {
    plan = null;
  }
  s.tier = (['low', 'medium', 'high'].includes(c.risk_level) ? c.risk_level : 'medium') as RiskLevel;
  s.flowId = plan?.flowId;
  s.reached = !!plan?.ladder?.reached;
  s.attempts = plan?.ladder?.totalAttempts ?? 0;
  if (c.status === 'closed') {
    s.phase = 'closed';
    s.outcome = (c.outcome ?? undefined) as Outcome | undefined;
    return s;
  }
  s.phase = s.reached ? 'conversation' : 'outreach';
  if (s.reached) s.conversation = { channel: 'sms', ended: false, awaiting: true };
  if (c.next_action && c.next_action_at) s.timers.push({ action: c.next_action === 'no_reply' ? 'no_reply' : 'triage', at: c.next_action_at });
  return s;
}
