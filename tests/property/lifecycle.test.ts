// Property: no sequence of events leaves an open case without a due action, an open handoff or a closing
// outcome — whatever arrives, late, twice or out of order. The world around the machine (the handoff the
// desk sees, the clock) is played from the commands the machine gives, as the server carries them out.
import path from 'node:path';
import fc from 'fast-check';
import { loadPolicy, type Policy } from '../../flows/engine';
import { HANDOFF_REASONS, OUTCOMES, type ChannelName, type HandoffReason } from '../../flows/engine/vocabulary';
import {
  LIFECYCLE_GRAPH,
  deferredTriage,
  initialState,
  nextAction,
  transition,
  type AttemptOutcome,
  type ConversationStep,
  type LifecycleEvent,
  type LifecycleState,
  type LifecycleWorld,
} from '../../server/cases/lifecycle';

const POLICIES: Policy[] = [loadPolicy(), loadPolicy(path.resolve(__dirname, '../support/policies/sms-only.yaml')), loadPolicy(path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml'))];
const CHANNELS: ChannelName[] = ['voice', 'sms', 'telegram'];
const OUTCOMES_OF_ATTEMPTS: AttemptOutcome[] = ['answered', 'call_ended', 'unanswered', 'voicemail', 'failed', 'delivered', 'undelivered'];

const stepArb: fc.Arbitrary<ConversationStep> = fc.record(
  {
    channel: fc.constantFrom(...CHANNELS),
    trigger: fc.constantFrom('start' as const, 'reply' as const, 'no_reply' as const, 'voicemail' as const),
    officerHolds: fc.boolean(),
    ended: fc.boolean(),
    outcome: fc.constantFrom(...OUTCOMES),
    handoffs: fc.array(fc.record({ reason: fc.constantFrom(...HANDOFF_REASONS) }), { maxLength: 2 }),
    callbackAfterMinutes: fc.integer({ min: 1, max: 120 }),
    contactRelative: fc.boolean(),
    noReplyAfterSeconds: fc.integer({ min: 10, max: 3600 }),
    atRisk: fc.constantFrom<HandoffReason>('mid_scam', 'already_paid'),
    promisesHuman: fc.constantFrom<HandoffReason>('request_human', 'mid_scam', 'distrust'),
    hangup: fc.boolean(),
  },
  { requiredKeys: ['channel', 'trigger', 'ended', 'handoffs'] },
);

/** What can happen to a case next; `desk` events only happen when there is a handoff for the desk to act on. */
type Happening =
  | { kind: 'event'; event: LifecycleEvent }
  | { kind: 'warning'; raise: 'none' | 'count' | 'risk' | 'amount' }
  | { kind: 'attempt'; offset: number; outcome: AttemptOutcome; permanent: boolean }
  | { kind: 'desk'; what: 'claim' | 'release' | 'return' | 'resolve' }
  | { kind: 'time'; minutes: number };

const happening: fc.Arbitrary<Happening> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('warning' as const), raise: fc.constantFrom('none' as const, 'count' as const, 'risk' as const, 'amount' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('attempt' as const), offset: fc.integer({ min: -2, max: 1 }), outcome: fc.constantFrom(...OUTCOMES_OF_ATTEMPTS), permanent: fc.boolean() }) },
  { weight: 6, arbitrary: stepArb.map((step) => ({ kind: 'event' as const, event: { type: 'conversation_step' as const, step } })) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('desk' as const), what: fc.constantFrom('claim' as const, 'release' as const, 'return' as const, 'resolve' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('time' as const), minutes: fc.integer({ min: 0, max: 4 * 24 * 60 }) }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<LifecycleEvent>(
      { type: 'citizen_contact', channel: 'voice' },
      { type: 'contact_after_close', channel: 'sms' },
      { type: 'opted_out' },
      { type: 'opted_in' },
      { type: 'human_requested', note: 'p' },
      { type: 'relative_replied', reason: 'already_paid' },
      { type: 'automation_failing', note: 'p' },
      { type: 'visit_reported', result: 'met' },
      { type: 'visit_reported', result: 'not_found' },
    ).map((event) => ({ kind: 'event' as const, event })),
  },
);

const setup = fc.record({
  policy: fc.integer({ min: 0, max: POLICIES.length - 1 }),
  risk: fc.constantFrom('low' as const, 'medium' as const, 'high' as const),
  telegram: fc.boolean(),
  relatives: fc.integer({ min: 0, max: 2 }),
  optedOut: fc.boolean(),
  deskNumber: fc.boolean(),
  // Any hour of the day, so quiet hours come and go.
  startHour: fc.integer({ min: 0, max: 23 }),
  start: fc.constantFrom('warning' as const, 'return_contact' as const, 'deferred' as const),
});

const seenEdges = new Set<string>();

type Setup = typeof setup extends fc.Arbitrary<infer T> ? T : never;

/** Plays one case's life: after every happening, it has a due action, a handoff, or a closing outcome. */
function live(init: Setup, happenings: Happening[]): void {
  {
    {
      let now = Date.parse(`2026-11-10T${String(init.startHour).padStart(2, '0')}:17:00.000Z`);
      const facts: LifecycleWorld['facts'] = { riskLevel: init.risk, warningCount: 1, scamType: 'investment', locale: 'zh', telegram: init.telegram, relatives: init.relatives, optedOut: init.optedOut };
      let handoff: LifecycleWorld['handoff'] = null;
      let state: LifecycleState = initialState();
      const world = (): LifecycleWorld => ({ now: new Date(now).toISOString(), policy: POLICIES[init.policy]!, utcOffsetMinutes: 480, facts: { ...facts }, handoff, deskNumber: init.deskNumber });
      const trace: string[] = [];

      const apply = (event: LifecycleEvent, depth = 0): void => {
        const t = transition(state, event, world());
        trace.push(`${event.type} → ${t.state.phase} [${t.commands.map((c) => c.type).join(',')}]`);
        expect({ undeclared: t.undeclared, trace }).toEqual({ undeclared: [], trace });
        for (const m of t.moves) seenEdges.add(`${m.from}>${m.to}@${m.on}`);
        state = t.state;
        for (const c of t.commands) {
          if (c.type === 'open_handoff') {
            const priority = c.priority ?? 40;
            if (!handoff) handoff = { reason: c.reason, priority, status: 'open' };
            else if (priority > handoff.priority) handoff = { ...handoff, reason: c.reason, priority };
          }
          if (c.type === 'request_visit' && !handoff) handoff = { reason: 'review', priority: 20, status: 'open' };
        }
        // The shell answers a request for the script's silence handling with the step it took.
        if (t.commands.some((c) => c.type === 'step_conversation') && depth < 2) apply({ type: 'conversation_step', step: { channel: state.conversation?.channel ?? 'sms', trigger: 'no_reply', ended: depth === 1, handoffs: [] } }, depth + 1);
      };

      if (init.start === 'deferred') state = deferredTriage(new Date(now).toISOString());
      else apply(init.start === 'return_contact' ? { type: 'return_contact', channel: 'voice' } : { type: 'warning_received', newCase: true });
      for (const h of happenings) {
        if (h.kind === 'time') {
          const next = nextAction(state);
          now = next && h.minutes % 2 === 0 ? Math.max(now, Date.parse(next.at)) : now + h.minutes * 60_000;
          apply({ type: 'timer_due' });
        } else if (h.kind === 'warning') {
          if (state.phase === 'closed') continue; // a new warning for a closed case opens a new case
          facts.warningCount += 1;
          if (h.raise === 'risk') facts.riskLevel = facts.riskLevel === 'low' ? 'medium' : 'high';
          if (h.raise === 'amount') facts.amount = 300_000;
          apply({ type: 'warning_received', newCase: false });
        } else if (h.kind === 'attempt') {
          apply({ type: 'attempt_outcome', attempt: Math.max(1, state.attempts + h.offset), outcome: h.outcome, permanent: h.permanent });
        } else if (h.kind === 'desk') {
          const seen = handoff as LifecycleWorld['handoff']; // set by apply(), which TypeScript cannot see
          if (!seen) continue; // the desk acts on a handoff it sees
          if (h.what === 'claim') handoff = { ...seen, status: 'claimed' };
          if (h.what === 'release') handoff = { ...seen, status: 'open' };
          if (h.what === 'claim' || h.what === 'release') {
            apply({ type: h.what === 'claim' ? 'handoff_claimed' : 'handoff_released' });
            continue;
          }
          handoff = null;
          apply(h.what === 'return' ? { type: 'handoff_returned' } : { type: 'handoff_resolved', outcome: 'dissuaded' });
        } else {
          const e = h.event;
          if (e.type === 'conversation_step' && e.step.officerHolds && handoff?.status !== 'claimed') continue;
          if (e.type === 'opted_out') facts.optedOut = true;
          if (e.type === 'opted_in') facts.optedOut = false;
          apply(e);
        }
        if (state.phase !== 'closed') expect({ stuck: nextAction(state) === null && handoff === null, trace }).toEqual({ stuck: false, trace });
        else expect({ outcome: state.outcome, trace }).toEqual({ outcome: expect.any(String), trace });
      }
    }
  }
}

test('no sequence of events leaves an open case without a due action, an open handoff or a closing outcome', () => {
  fc.assert(
    fc.property(setup, fc.array(happening, { maxLength: 40 }), (init, happenings) => live(init, happenings)),
    // A fixed seed: the same 1,500 lives on every run, so a failure is reproducible and the coverage below stable.
    { numRuns: 1500, seed: 2026 },
  );
});

test('every edge of the lifecycle graph (and so of docs/lifecycle.md) is taken by some sequence', () => {
  // Two lives too rare for random sequences to find every time: returned before triage with no channel left,
  // and the last call-back failing.
  const base: Setup = { policy: 1, risk: 'medium', telegram: false, relatives: 0, optedOut: true, deskNumber: false, startHour: 2, start: 'deferred' };
  live(base, [{ kind: 'event', event: { type: 'human_requested', note: 'x' } }, { kind: 'desk', what: 'return' }]);
  const callback: Happening[] = [
    { kind: 'event', event: { type: 'conversation_step', step: { channel: 'voice', trigger: 'reply', ended: false, handoffs: [], callbackAfterMinutes: 30, hangup: true } } },
    { kind: 'attempt', offset: 0, outcome: 'call_ended', permanent: false },
    { kind: 'time', minutes: 0 },
    { kind: 'attempt', offset: 0, outcome: 'unanswered', permanent: false },
    { kind: 'time', minutes: 0 },
    { kind: 'attempt', offset: 0, outcome: 'unanswered', permanent: false },
    { kind: 'time', minutes: 0 },
    { kind: 'attempt', offset: 0, outcome: 'unanswered', permanent: false },
  ];
  live({ ...base, policy: 0, optedOut: false, start: 'warning' }, [{ kind: 'attempt', offset: 0, outcome: 'answered', permanent: false }, ...callback]);
  // A script that ends with nobody owed; a raised risk whose tier has no channel left for the person.
  live({ ...base, policy: 0, optedOut: false, start: 'warning' }, [{ kind: 'event', event: { type: 'conversation_step', step: { channel: 'sms', trigger: 'reply', ended: true, outcome: 'safe_aware', handoffs: [] } } }]);
  live({ ...base, policy: 0, optedOut: false, start: 'warning', relatives: 1 }, [
    { kind: 'attempt', offset: -1, outcome: 'failed', permanent: true },
    { kind: 'attempt', offset: 0, outcome: 'undelivered', permanent: false },
    { kind: 'warning', raise: 'risk' },
  ]);
  const declared = LIFECYCLE_GRAPH.map((e) => `${e.from}>${e.to}@${e.on}`);
  expect(declared.filter((e) => !seenEdges.has(e))).toEqual([]);
});
