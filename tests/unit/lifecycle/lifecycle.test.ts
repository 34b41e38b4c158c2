// The case's lifecycle, one transition at a time: pure, on the shipped policy, in milliseconds.
import { loadPolicy, type Policy } from '../../../flows/engine';
import { HANDOFF_PRIORITIES } from '../../../flows/engine/vocabulary';
import {
  CALL_BACK_MINUTES,
  deferredTriage,
  initialState,
  legacyState,
  nextAction,
  transition,
  type ConversationStep,
  type LifecycleCommand,
  type LifecycleEvent,
  type LifecycleState,
  type LifecycleWorld,
} from '../../../server/cases/lifecycle';

const policy: Policy = loadPolicy();
// 10:00 in China (UTC+8): outside the quiet hours (21:00–08:00).
const DAY = '2026-11-10T02:00:00.000Z';
// 23:00 in China.
const NIGHT = '2026-11-10T15:00:00.000Z';

function world(over: Partial<Omit<LifecycleWorld, 'facts'>> & { facts?: Partial<LifecycleWorld['facts']> } = {}): LifecycleWorld {
  const { facts, ...rest } = over;
  return {
    now: DAY,
    policy,
    utcOffsetMinutes: 480,
    handoff: null,
    deskNumber: false,
    ...rest,
    facts: { riskLevel: 'medium', warningCount: 1, scamType: 'loan', locale: 'zh', telegram: false, relatives: 1, optedOut: false, ...facts },
  };
}

const minutes = (at: string, m: number) => new Date(Date.parse(at) + m * 60_000).toISOString();
const of = <T extends LifecycleCommand['type']>(cmds: LifecycleCommand[], type: T) => cmds.filter((c): c is Extract<LifecycleCommand, { type: T }> => c.type === type);
const kinds = (cmds: LifecycleCommand[]) => cmds.filter((c) => c.type !== 'note').map((c) => c.type);

function step(over: Partial<ConversationStep> = {}): ConversationStep {
  return { channel: 'sms', trigger: 'reply', ended: false, handoffs: [], noReplyAfterSeconds: 1800, ...over };
}

/** Runs events in order; each gets the world the last commands left (an opened handoff stays open). */
function play(events: (LifecycleEvent | [LifecycleEvent, Partial<LifecycleWorld>])[], base: LifecycleWorld = world(), from: LifecycleState = initialState()) {
  let state = from;
  let handoff = base.handoff;
  let last: ReturnType<typeof transition> | undefined;
  for (const item of events) {
    const [e, w] = Array.isArray(item) ? item : [item, {}];
    last = transition(state, e, { ...base, handoff, ...w });
    expect(last.undeclared).toEqual([]);
    state = last.state;
    for (const c of last.commands) if (c.type === 'open_handoff') handoff = { reason: c.reason, priority: c.priority ?? 40, status: 'open' };
    if (e.type === 'handoff_resolved' || e.type === 'handoff_returned') handoff = null;
  }
  return { ...last!, handoff };
}

describe('triage of a new case', () => {
  it('high risk: a review, a call now, the first rung’s deadline', () => {
    const t = play([{ type: 'warning_received', newCase: true }], world({ facts: { riskLevel: 'high' } }));
    expect(t.state).toMatchObject({ phase: 'outreach', tier: 'high', rung: 0, flowId: 'loan', reviewReasons: ['high_risk'] });
    expect(kinds(t.commands)).toEqual(['open_handoff', 'contact', 'schedule']);
    expect(of(t.commands, 'contact')).toEqual([{ type: 'contact', attempt: 1, channel: 'voice', purpose: 'warning' }]);
    expect(of(t.commands, 'open_handoff')[0]).toMatchObject({ reason: 'review', note: 'second review: high_risk' });
    expect(of(t.commands, 'schedule')).toEqual([{ type: 'schedule', action: 'rung_deadline', at: minutes(DAY, 3) }]);
  });

  it('medium risk: a call together with the written warning; Telegram is the text channel when the case has a chat', () => {
    expect(of(play([{ type: 'warning_received', newCase: true }]).commands, 'contact').map((c) => c.channel)).toEqual(['voice', 'sms']);
    expect(of(play([{ type: 'warning_received', newCase: true }], world({ facts: { telegram: true } })).commands, 'contact').map((c) => c.channel)).toEqual(['voice', 'telegram']);
  });

  it('an opted-out person gets no SMS; a rung with no usable channel is skipped', () => {
    const t = play([{ type: 'warning_received', newCase: true }], world({ facts: { optedOut: true, riskLevel: 'high' } }));
    expect(of(t.commands, 'contact').map((c) => c.channel)).toEqual(['voice']);
  });

  it('left to a worker: the triage timer decides like intake would', () => {
    const deferred = deferredTriage(DAY);
    expect(nextAction(deferred)).toEqual({ action: 'triage', at: DAY });
    const t = play([{ type: 'timer_due' }], world(), deferred);
    expect(t.state.phase).toBe('outreach');
    expect(of(t.commands, 'contact')).toHaveLength(2);
  });

  it('a return contact: a citizen with no case is in conversation at once, on the return-contact script', () => {
    const t = play([{ type: 'return_contact', channel: 'sms' }]);
    expect(t.state).toMatchObject({ phase: 'conversation', reached: true, flowId: 'return_contact' });
  });
});

describe('quiet hours, per tier', () => {
  it('high risk is worked around the clock', () => {
    const t = play([{ type: 'warning_received', newCase: true }], world({ now: NIGHT, facts: { riskLevel: 'high' } }));
    expect(of(t.commands, 'contact').map((c) => c.channel)).toEqual(['voice']);
  });

  it('medium: the written warning goes now, the call waits for 08:00 and the ladder does not climb meanwhile', () => {
    const t = play([{ type: 'warning_received', newCase: true }], world({ now: NIGHT }));
    expect(of(t.commands, 'contact').map((c) => c.channel)).toEqual(['sms']);
    const morning = '2026-11-11T00:00:00.000Z';
    // The rung runs from the held call: its deadline counts from 08:00.
    expect(t.state.timers).toEqual([
      { action: 'contact', at: morning, channel: 'voice', rung: 0 },
      { action: 'rung_deadline', at: minutes(morning, 30), rung: 0 },
    ]);
    const later = play([{ type: 'timer_due' }], world({ now: morning }), t.state);
    expect(of(later.commands, 'contact').map((c) => c.channel)).toEqual(['voice']);
    expect(later.state.rung).toBe(0);
  });

  it('a deadline that falls in the night waits for the morning', () => {
    const evening = '2026-11-10T12:50:00.000Z'; // 20:50: contacts go, the 30-minute deadline falls at 21:20
    const t = play([{ type: 'warning_received', newCase: true }], world({ now: evening }));
    expect(of(t.commands, 'contact').map((c) => c.channel)).toEqual(['voice', 'sms']);
    expect(t.state.timers.find((x) => x.action === 'rung_deadline')).toEqual({ action: 'rung_deadline', at: '2026-11-11T00:00:00.000Z', rung: 0 });
  });

  it('low: nothing goes out at night', () => {
    const t = play([{ type: 'warning_received', newCase: true }], world({ now: NIGHT, facts: { riskLevel: 'low' } }));
    expect(of(t.commands, 'contact')).toEqual([]);
    expect(nextAction(t.state)).toEqual({ action: 'contact', at: '2026-11-11T00:00:00.000Z' });
  });
});

describe('every warning re-triaged', () => {
  const medium = play([{ type: 'warning_received', newCase: true }]).state;

  it('a second warning changes nothing but the count', () => {
    const t = play([{ type: 'warning_received', newCase: false }], world({ facts: { warningCount: 2 } }), medium);
    expect(kinds(t.commands)).toEqual([]);
  });

  it('a third warning raising the risk to high with ¥300,000: review, visit, and a call now though a text went out', () => {
    const t = play([{ type: 'warning_received', newCase: false }], world({ facts: { warningCount: 3, riskLevel: 'high', amount: 300_000 } }), medium);
    expect(t.state.tier).toBe('high');
    expect(t.state.reviewReasons).toEqual(['high_risk', 'repeat_warnings', 'large_amount']);
    expect(t.state.visitReasons).toEqual(['high_risk_repeat', 'very_large_amount']);
    expect(kinds(t.commands)).toEqual(['open_handoff', 'request_visit', 'cancel_contacts', 'contact', 'schedule']);
    expect(of(t.commands, 'cancel_contacts')).toEqual([{ type: 'cancel_contacts', attempts: [1, 2] }]);
    expect(of(t.commands, 'contact')).toEqual([{ type: 'contact', attempt: 3, channel: 'voice', purpose: 'warning' }]);
  });

  it('risk only goes up: a later low warning keeps the tier; reasons already raised are not raised again', () => {
    const high = play([{ type: 'warning_received', newCase: false }], world({ facts: { warningCount: 3, riskLevel: 'high', amount: 300_000 } }), medium).state;
    const t = play([{ type: 'warning_received', newCase: false }], world({ facts: { warningCount: 4, riskLevel: 'high', amount: 300_000 } }), high);
    expect(t.state.tier).toBe('high');
    expect(kinds(t.commands)).toEqual([]);
  });

  it('a reached person is not called again on a raised risk; the review says what changed', () => {
    const reached = play([{ type: 'conversation_step', step: step() }], world(), medium).state;
    const t = play([{ type: 'warning_received', newCase: false }], world({ facts: { warningCount: 2, riskLevel: 'high' } }), reached);
    expect(kinds(t.commands)).toEqual(['open_handoff']);
  });
});

describe('the ladder', () => {
  const high = () => play([{ type: 'warning_received', newCase: true }], world({ facts: { riskLevel: 'high' } }));

  it('an unanswered call on a rung of one call: the next rung at once (the written warning)', () => {
    const t = play([{ type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' }], world({ facts: { riskLevel: 'high' } }), high().state);
    expect(t.state.rung).toBe(1);
    expect(of(t.commands, 'contact')).toEqual([{ type: 'contact', attempt: 2, channel: 'sms', purpose: 'warning' }]);
    expect(nextAction(t.state)).toEqual({ action: 'rung_deadline', at: minutes(DAY, 5) });
  });

  it('a delivered text waits for the rung deadline; then the next call', () => {
    const w = world({ facts: { riskLevel: 'high' } });
    const t = play([{ type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' }, { type: 'attempt_outcome', attempt: 2, outcome: 'delivered' }], w, high().state);
    expect(t.state.rung).toBe(1);
    const later = play([{ type: 'timer_due' }], world({ now: minutes(DAY, 5), facts: { riskLevel: 'high' } }), t.state);
    expect(of(later.commands, 'contact')).toEqual([{ type: 'contact', attempt: 3, channel: 'voice', purpose: 'warning' }]);
  });

  it('then a relative at once, then a human with a station visit, high in the queue', () => {
    const w = world({ facts: { riskLevel: 'high' } });
    const atRelatives = play(
      [
        { type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' },
        [{ type: 'timer_due' }, { now: minutes(DAY, 5) }],
        { type: 'attempt_outcome', attempt: 3, outcome: 'voicemail' },
      ],
      w,
      high().state,
    );
    expect(of(atRelatives.commands, 'contact_relative')).toEqual([{ type: 'contact_relative', attempt: 4, relative: 0 }]);
    const done = play([{ type: 'timer_due' }], world({ now: minutes(DAY, 30), facts: { riskLevel: 'high' } }), atRelatives.state);
    expect(done.state.phase).toBe('human');
    expect(of(done.commands, 'open_handoff')).toEqual([{ type: 'open_handoff', reason: 'unreachable', priority: 60, note: 'not reached after 4 attempt(s); station visit requested' }]);
    expect(of(done.commands, 'request_visit')).toHaveLength(1);
    expect(nextAction(done.state)).toBeNull();
  });

  it('no relative on file: the relatives rung is skipped', () => {
    const w = world({ facts: { riskLevel: 'high', relatives: 0 } });
    const t = play(
      [
        { type: 'warning_received', newCase: true },
        { type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' },
        [{ type: 'timer_due' }, { now: minutes(DAY, 5) }],
        { type: 'attempt_outcome', attempt: 3, outcome: 'unanswered' },
      ],
      w,
    );
    expect(t.state.phase).toBe('human');
    expect(of(t.commands, 'contact_relative')).toEqual([]);
  });

  it('an undelivered text drops the channel: later rungs do not use it', () => {
    const t = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 2, outcome: 'undelivered' }]);
    expect(t.state.deadChannels).toEqual(['sms']);
  });

  it('a call no status callback ever speaks of counts as unanswered when its watchdog fires', () => {
    const t = play([{ type: 'timer_due' }], world({ now: minutes(DAY, 10), facts: { riskLevel: 'high' } }), high().state);
    expect(t.state.rung).toBeGreaterThan(0);
  });
});

describe('a status belongs to its own attempt', () => {
  it('a status for an attempt the case moved past is recorded and changes nothing', () => {
    const w = world({ facts: { riskLevel: 'high' } });
    const moved = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' }], w);
    const late = transition(moved.state, { type: 'attempt_outcome', attempt: 1, outcome: 'failed', permanent: true }, w);
    expect(late.commands).toEqual([{ type: 'note', action: 'attempt_superseded', detail: { attempt: 1, outcome: 'failed' } }]);
    expect(late.state).toEqual(moved.state);
  });

  it('a second terminal status for the same attempt changes nothing', () => {
    const w = world();
    const once = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' }], w);
    const twice = transition(once.state, { type: 'attempt_outcome', attempt: 1, outcome: 'unanswered' }, w);
    expect(kinds(twice.commands)).toEqual([]);
    expect(twice.state).toEqual(once.state);
  });
});

describe('reached', () => {
  it('an answered call stops the ladder: the written warning not yet sent is called off', () => {
    const t = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 1, outcome: 'answered' }]);
    expect(t.state).toMatchObject({ phase: 'conversation', reached: true, onCall: 1 });
    expect(of(t.commands, 'cancel_contacts')).toEqual([{ type: 'cancel_contacts', attempts: [2] }]);
    expect(t.state.timers.map((x) => x.action)).toEqual(['call_watchdog']);
  });

  it('a reply reaches them too; the script’s wait is the next action', () => {
    const t = play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step() }]);
    expect(t.state.phase).toBe('conversation');
    expect(nextAction(t.state)).toEqual({ action: 'no_reply', at: minutes(DAY, 30) });
  });

  it('a call from the person to us reaches them', () => {
    expect(play([{ type: 'warning_received', newCase: true }, { type: 'citizen_contact', channel: 'voice' }]).state.phase).toBe('conversation');
  });
});

describe('the conversation', () => {
  const talking = () => play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step() }]).state;

  it('an at-risk reply the script did not hand off still reaches a person', () => {
    const t = play([{ type: 'conversation_step', step: step({ atRisk: 'mid_scam' }) }], world(), talking());
    expect(of(t.commands, 'open_handoff')).toEqual([{ type: 'open_handoff', reason: 'mid_scam', note: 'at-risk reply; the script did not hand off' }]);
  });

  it('a script that promises an officer keeps the promise when no handoff is open (after "return to flow")', () => {
    const t = play([{ type: 'conversation_step', step: step({ promisesHuman: 'request_human', hangup: true }) }], world(), talking());
    expect(of(t.commands, 'open_handoff')).toEqual([{ type: 'open_handoff', reason: 'request_human', note: 'the script promised an officer' }]);
    expect(t.state.phase).toBe('human');
  });

  it('on a call, someone at risk is connected to the desk and goes to the top of the queue', () => {
    const onCall = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 1, outcome: 'answered' }]).state;
    const s = step({ channel: 'voice', handoffs: [{ reason: 'mid_scam', priority: 80 }], hangup: true });
    const withDesk = play([{ type: 'conversation_step', step: s }], world({ deskNumber: true }), onCall);
    expect(kinds(withDesk.commands)).toEqual(['open_handoff', 'connect_desk', 'open_handoff']);
    expect(of(withDesk.commands, 'open_handoff')[1]).toMatchObject({ priority: HANDOFF_PRIORITIES.already_paid, slaMinutes: CALL_BACK_MINUTES });
    const noDesk = play([{ type: 'conversation_step', step: s }], world(), onCall);
    expect(kinds(noDesk.commands)).toEqual(['open_handoff', 'open_handoff']);
    expect(of(noDesk.commands, 'note').map((n) => n.action)).toContain('call_back_promised');
  });

  it('ended with an outcome and nobody owed: closed, with a follow-up check-in for someone who knew it was a scam', () => {
    const t = play([{ type: 'conversation_step', step: step({ ended: true, outcome: 'safe_aware', hangup: true }) }], world(), talking());
    expect(t.state.phase).toBe('closed');
    expect(of(t.commands, 'close')).toEqual([{ type: 'close', outcome: 'safe_aware' }]);
    expect(nextAction(t.state)).toEqual({ action: 'follow_up', at: new Date(Date.parse(DAY) + 3 * 86_400_000).toISOString() });
  });

  it('ended while a person is owed: the case waits for them', () => {
    const t = play([{ type: 'conversation_step', step: step({ ended: true, outcome: 'unreachable', handoffs: [{ reason: 'unreachable' }] }) }], world(), talking());
    expect(t.state.phase).toBe('human');
    expect(of(t.commands, 'close')).toEqual([]);
  });

  it('silence: the script’s no-reply handling is asked for', () => {
    const t = play([{ type: 'timer_due' }], world({ now: minutes(DAY, 31) }), talking());
    expect(of(t.commands, 'step_conversation')).toEqual([{ type: 'step_conversation', event: 'no_reply' }]);
  });

  it('a call-back the script asks for; after the policy’s number of them, a person', () => {
    let state = talking();
    for (let i = 0; i < policy.callbacks.max; i++) {
      const asked = play([{ type: 'conversation_step', step: step({ callbackAfterMinutes: 30, hangup: true }) }], world(), state);
      const fired = play([{ type: 'timer_due' }], world({ now: minutes(DAY, 30) }), asked.state);
      expect(of(fired.commands, 'contact')[0]).toMatchObject({ channel: 'sms', purpose: 'callback' });
      state = play([{ type: 'conversation_step', step: step() }], world(), fired.state).state;
    }
    const t = play([{ type: 'conversation_step', step: step({ callbackAfterMinutes: 30, hangup: true }) }], world(), state);
    expect(of(t.commands, 'open_handoff')[0]).toMatchObject({ reason: 'unreachable' });
  });

  it('the person hangs up mid-conversation: the script’s silence handling a minute later', () => {
    const onCall = play([{ type: 'warning_received', newCase: true }, { type: 'attempt_outcome', attempt: 1, outcome: 'answered' }, { type: 'conversation_step', step: step({ channel: 'voice', trigger: 'start' }) }]).state;
    const t = play([{ type: 'attempt_outcome', attempt: 1, outcome: 'call_ended' }], world(), onCall);
    expect(nextAction(t.state)).toEqual({ action: 'no_reply', at: new Date(Date.parse(DAY) + 60_000).toISOString() });
  });

  it('while an officer holds the case, a reply reaches them and changes nothing else', () => {
    const t = play([{ type: 'conversation_step', step: step({ officerHolds: true }) }], world({ handoff: { reason: 'mid_scam', priority: 80, status: 'claimed' } }), talking());
    expect(kinds(t.commands)).toEqual([]);
  });
});

describe('the desk', () => {
  const withHuman = () => play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step({ handoffs: [{ reason: 'request_human' }], hangup: true }) }]);

  it('claim and release change nothing of the case’s life', () => {
    const h = withHuman();
    expect(kinds(play([{ type: 'handoff_claimed' }, { type: 'handoff_released' }], world({ handoff: h.handoff }), h.state).commands)).toEqual([]);
  });

  it('resolved: closed with the officer’s outcome, a follow-up for the dissuaded', () => {
    const t = play([{ type: 'handoff_resolved', outcome: 'dissuaded' }], world(), withHuman().state);
    expect(t.state.phase).toBe('closed');
    expect(nextAction(t.state)?.action).toBe('follow_up');
  });

  it('returned mid-conversation: the script waits for the person again', () => {
    const talking = play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step({ handoffs: [{ reason: 'mid_scam' }] }) }]);
    const t = play([{ type: 'handoff_returned' }], world(), talking.state);
    expect(t.state.phase).toBe('conversation');
    expect(nextAction(t.state)).toEqual({ action: 'no_reply', at: minutes(DAY, 30) });
  });

  it('returned before anyone was reached: back on the ladder', () => {
    const out = play([{ type: 'warning_received', newCase: true }, { type: 'opted_out' }]);
    const t = play([{ type: 'handoff_returned' }], world({ facts: { optedOut: true } }), out.state);
    expect(t.state.phase).toBe('outreach');
    expect(of(t.commands, 'contact').map((c) => c.channel)).toEqual(['voice']);
  });

  it('returned after the script had ended: closed with the script’s outcome (a later contact reopens it)', () => {
    const ended = play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step({ ended: true, outcome: 'unreachable', handoffs: [{ reason: 'unreachable' }], hangup: true }) }]);
    const t = play([{ type: 'handoff_returned' }], world(), ended.state);
    expect(t.state.phase).toBe('closed');
    expect(of(t.commands, 'close')).toEqual([{ type: 'close', outcome: 'unreachable' }]);
  });

  it('returned while the script stands in a state that hung up: it waits for the person (a text still gets an answer)', () => {
    const t = play([{ type: 'handoff_returned' }], world(), withHuman().state);
    expect(t.state.phase).toBe('conversation');
    expect(nextAction(t.state)).toEqual({ action: 'no_reply', at: minutes(DAY, 30) });
  });

  it('a station visit reported: met closes the case, nobody found keeps it with a person, more urgently', () => {
    const h = withHuman();
    expect(play([{ type: 'visit_reported', result: 'met', outcome: 'dissuaded' }], world(), h.state).state).toMatchObject({ phase: 'closed', outcome: 'dissuaded' });
    expect(of(play([{ type: 'visit_reported', result: 'not_found' }], world(), h.state).commands, 'open_handoff')[0]).toMatchObject({ reason: 'unreachable', priority: HANDOFF_PRIORITIES.unreachable_high });
  });

  it('/human, a relative’s reply, automation failing: each puts a person on the case', () => {
    const s = play([{ type: 'warning_received', newCase: true }]).state;
    for (const e of [{ type: 'human_requested', note: 'tg' }, { type: 'relative_replied', reason: 'already_paid' }, { type: 'automation_failing', note: 'x' }] as LifecycleEvent[]) {
      expect(kinds(transition(s, e, world()).commands)).toEqual(['open_handoff']);
    }
  });
});

describe('STOP', () => {
  it('no more automatic contact; a person reaches them another way; START gives SMS back', () => {
    const t = play([{ type: 'warning_received', newCase: true }, { type: 'opted_out' }]);
    expect(t.state.phase).toBe('human');
    expect(nextAction(t.state)).toBeNull();
    expect(of(t.commands, 'open_handoff')[0]).toMatchObject({ reason: 'opted_out' });
    expect(transition(t.state, { type: 'opted_in' }, world()).state.deadChannels).toEqual([]);
  });
});

describe('after close', () => {
  const closed = () => play([{ type: 'warning_received', newCase: true }, { type: 'conversation_step', step: step({ ended: true, outcome: 'safe_aware' }) }]).state;

  it('the follow-up check-in goes out on the text channel; the case stays closed', () => {
    const t = play([{ type: 'timer_due' }], world({ now: '2026-11-14T02:00:00.000Z' }), closed());
    expect(t.state).toMatchObject({ phase: 'closed', followUps: 1, script: 'follow_up' });
    expect(of(t.commands, 'contact')).toEqual([{ type: 'contact', attempt: 3, channel: 'sms', purpose: 'follow_up' }]);
    expect(nextAction(t.state)).toBeNull();
  });

  it('the citizen back in contact: their own case reopens, on the check-in script; the follow-up is called off', () => {
    const t = play([{ type: 'contact_after_close', channel: 'sms' }], world(), closed());
    expect(t.state).toMatchObject({ phase: 'conversation', reopened: 1, script: 'follow_up', reached: true });
    expect(of(t.commands, 'reopen')).toHaveLength(1);
    // Until the script's step says otherwise, the usual wait for an answer.
    expect(nextAction(t.state)).toEqual({ action: 'no_reply', at: minutes(DAY, 30) });
  });
});

describe('the case’s next action', () => {
  it('is its earliest timer, and a schedule command says when it changes', () => {
    const s = initialState();
    s.timers = [
      { action: 'rung_deadline', at: minutes(DAY, 5) },
      { action: 'call_watchdog', at: minutes(DAY, 2) },
    ];
    expect(nextAction(s)).toEqual({ action: 'call_watchdog', at: minutes(DAY, 2) });
    expect(of(transition(s, { type: 'handoff_claimed' }, world()).commands, 'schedule')).toEqual([]);
  });

  it('a case from before the lifecycle keeps its due moment and is triaged then', () => {
    const s = legacyState({ status: 'open', next_action: 'contact', next_action_at: DAY, risk_level: 'high', plan: JSON.stringify({ flowId: 'loan', ladder: { reached: false, totalAttempts: 2 } }), outcome: null });
    expect(s).toMatchObject({ phase: 'outreach', tier: 'high', flowId: 'loan', attempts: 2, timers: [{ action: 'triage', at: DAY }] });
    const t = play([{ type: 'timer_due' }], world({ facts: { riskLevel: 'high' } }), s);
    expect(of(t.commands, 'contact')).toEqual([{ type: 'contact', attempt: 3, channel: 'voice', purpose: 'warning' }]);
  });
});
