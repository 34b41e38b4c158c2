// The case's lifecycle on the organisation's events (pure, no I/O): the second review's decisions, what a
// station reports from the door, and a visit that misses its deadline.
import path from 'node:path';
import { loadPolicy } from '../../../flows/engine';
import { initialState, transition, type LifecycleEvent, type LifecycleState, type LifecycleWorld } from '../../../server/cases/lifecycle';

const policy = loadPolicy(path.resolve(__dirname, '../../support/policies/no-quiet-hours.yaml'));
const NOW = '2026-09-08T10:00:00.000Z';

function world(over: Partial<LifecycleWorld> = {}): LifecycleWorld {
  return {
    now: NOW,
    policy,
    utcOffsetMinutes: 480,
    facts: { riskLevel: 'medium', warningCount: 1, amount: 300000, scamType: 'impersonation_police', locale: 'zh', telegram: false, relatives: 1, optedOut: false },
    handoff: { reason: 'review', priority: 20, status: 'claimed' },
    deskNumber: false,
    ...over,
  };
}

/** A medium-risk case over ¥50,000, triaged: outreach by SMS with a review handoff beside it. */
function triaged(): LifecycleState {
  const t = transition(initialState(), { type: 'warning_received', newCase: true }, world({ handoff: null }));
  expect(t.commands.map((c) => c.type)).toEqual(expect.arrayContaining(['open_handoff', 'contact']));
  expect(t.commands.find((c) => c.type === 'open_handoff')).toMatchObject({ reason: 'review' });
  return t.state;
}

const step = (s: LifecycleState, e: LifecycleEvent, w = world()) => {
  const t = transition(s, e, w);
  expect(t.undeclared).toEqual([]);
  return t;
};

describe('the lifecycle on the second review', () => {
  it('closes a false alarm', () => {
    const t = step(triaged(), { type: 'review_decided', decision: 'false_alarm', reason: '号码为家人所用' });
    expect(t.state.phase).toBe('closed');
    expect(t.commands).toEqual(expect.arrayContaining([{ type: 'close', outcome: 'false_alarm' }, { type: 'note', action: 'review_decided', detail: { decision: 'false_alarm', reason: '号码为家人所用' } }]));
  });

  it('sends the chosen station with a deadline, and keeps outreach going', () => {
    const before = triaged();
    const deadlineAt = '2026-09-08T14:00:00.000Z';
    const t = step(before, { type: 'review_decided', decision: 'visit', reason: '需上门', station: 'unit-s1', deadlineAt });
    expect(t.commands).toContainEqual({ type: 'request_visit', reasons: ['review'], note: '需上门', station: 'unit-s1', deadlineAt });
    expect(t.state.timers).toContainEqual({ action: 'visit_due', at: deadlineAt });
    // The ladder's own timers are still there.
    expect(t.state.timers.filter((x) => x.action !== 'visit_due')).toEqual(before.timers);
    expect(t.state.phase).toBe('outreach');
  });

  it('places a call now for "call again"', () => {
    const t = step(triaged(), { type: 'review_decided', decision: 'call_again', reason: '再打一次' });
    expect(t.commands).toContainEqual(expect.objectContaining({ type: 'contact', channel: 'voice', purpose: 'callback' }));
  });

  it('ignores a decision on a closed case', () => {
    const closed = step(triaged(), { type: 'review_decided', decision: 'false_alarm', reason: 'x' }).state;
    expect(step(closed, { type: 'review_decided', decision: 'visit', reason: 'y', station: 's', deadlineAt: NOW }).commands.filter((c) => c.type !== 'note')).toEqual([]);
  });
});

describe('the lifecycle on what the station reports', () => {
  const visiting = () => step(triaged(), { type: 'review_decided', decision: 'visit', reason: '需上门', station: 'unit-s1', deadlineAt: '2026-09-08T14:00:00.000Z' }).state;
  const noHandoff = world({ handoff: null });

  it('closes the case when the officers met and dissuaded the person', () => {
    const t = step(visiting(), { type: 'visit_reported', result: 'met', outcome: 'dissuaded' }, noHandoff);
    expect(t.state.phase).toBe('closed');
    expect(t.commands).toContainEqual({ type: 'close', outcome: 'dissuaded' });
    expect(t.state.timers.map((x) => x.action)).not.toContain('visit_due');
  });

  it.each([
    ['paid', 'already_paid', 100],
    ['refused', 'distrust', 80],
    ['not_found', 'unreachable', 60],
  ] as const)('hands the case to a person when the report is %s', (result, reason, priority) => {
    const t = step(visiting(), { type: 'visit_reported', result, note: '情况' }, noHandoff);
    expect(t.commands).toContainEqual(expect.objectContaining({ type: 'open_handoff', reason, priority }));
    expect(t.state.phase).toBe(result === 'not_found' ? 'outreach' : 'human');
    expect(t.state.timers.map((x) => x.action)).not.toContain('visit_due');
  });

  it('escalates a visit with no report by its deadline', () => {
    const t = step(visiting(), { type: 'timer_due' }, world({ handoff: null, now: '2026-09-08T14:00:01.000Z' }));
    expect(t.commands).toContainEqual({ type: 'visit_overdue' });
    expect(t.commands).toContainEqual(expect.objectContaining({ type: 'open_handoff', reason: 'unreachable', priority: 60, note: 'station visit overdue: no report by its deadline' }));
    expect(t.state.phase).toBe('human');
    // The handoff first, so carrying out visit_overdue can escalate it.
    expect(t.commands.findIndex((c) => c.type === 'open_handoff')).toBeLessThan(t.commands.findIndex((c) => c.type === 'visit_overdue'));
  });

  it.each([
    ['paid', 'already_paid'],
    ['refused', 'distrust'],
  ] as const)('reopens a case closed while the station was on its way when the report is %s', (result, reason) => {
    const closed = step(visiting(), { type: 'visit_reported', result: 'met', outcome: 'dissuaded' }, noHandoff).state;
    expect(closed.phase).toBe('closed');
    const t = step(closed, { type: 'visit_reported', result, note: '邻居说他昨晚又转了钱' }, noHandoff);
    expect(t.commands.map((c) => c.type)).toEqual(expect.arrayContaining(['reopen', 'open_handoff']));
    expect(t.commands).toContainEqual(expect.objectContaining({ type: 'open_handoff', reason }));
    expect(t.state).toMatchObject({ phase: 'human', reopened: closed.reopened + 1 });
    expect(t.state.outcome).toBeUndefined();
  });

  it.each(['met', 'not_found'] as const)('only notes a %s report on a closed case', (result) => {
    const closed = step(visiting(), { type: 'visit_reported', result: 'met', outcome: 'dissuaded' }, noHandoff).state;
    const t = step(closed, { type: 'visit_reported', result }, noHandoff);
    expect(t.state.phase).toBe('closed');
    expect(t.commands).toEqual([{ type: 'note', action: 'visit_reported', detail: { result, ignored: 'case is closed' } }]);
  });
});
