// Quiet hours are in the centre's local time; high risk overrides them when the policy says so.
import { newLadder, quietUntil, type ContactPlan } from '../../../server/cases/plan';

const plan = (quietHours?: ContactPlan['quietHours']): ContactPlan => ({
  flowId: 'pig_butchering',
  channels: ['sms', 'voice'],
  retryMinutes: [5, 30, 120],
  humanReview: false,
  reviewReasons: [],
  proposeVisit: false,
  visitReasons: [],
  quietHours,
  ladder: newLadder(),
});

const NIGHT = { start: '21:00', end: '08:00', overrideForHighRisk: true };
const CHINA = 480;

describe('quietUntil', () => {
  it('holds a medium-risk contact at 22:30 Beijing time until 08:00 the next morning', () => {
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T14:30:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z');
  });

  it('holds a contact just after midnight until 08:00 the same morning', () => {
    expect(quietUntil(plan(NIGHT), 'low', new Date('2026-11-10T16:05:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z');
  });

  it('lets high risk through at night when the policy overrides, and holds it when it does not', () => {
    expect(quietUntil(plan(NIGHT), 'high', new Date('2026-11-10T14:30:00Z'), CHINA)).toBeUndefined();
    expect(quietUntil(plan({ ...NIGHT, overrideForHighRisk: false }), 'high', new Date('2026-11-10T14:30:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z');
  });

  it('allows contact in the day and at the window’s end, not at its start', () => {
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T02:00:00Z'), CHINA)).toBeUndefined(); // 10:00
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T00:00:00Z'), CHINA)).toBeUndefined(); // 08:00
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T12:59:00Z'), CHINA)).toBeUndefined(); // 20:59
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T13:00:00Z'), CHINA)).toBe('2026-11-11T00:00:00.000Z'); // 21:00
  });

  it('handles a window that does not cross midnight, and other offsets', () => {
    const lunch = { start: '12:00', end: '14:00', overrideForHighRisk: false };
    expect(quietUntil(plan(lunch), 'medium', new Date('2026-11-10T05:00:00Z'), CHINA)).toBe('2026-11-10T06:00:00.000Z'); // 13:00 → 14:00
    expect(quietUntil(plan(lunch), 'medium', new Date('2026-11-10T07:00:00Z'), CHINA)).toBeUndefined(); // 15:00
    expect(quietUntil(plan(NIGHT), 'medium', new Date('2026-11-10T22:00:00Z'), 0)).toBe('2026-11-11T08:00:00.000Z');
  });

  it('never holds a plan without quiet hours', () => {
    expect(quietUntil(plan(undefined), 'low', new Date('2026-11-10T16:05:00Z'), CHINA)).toBeUndefined();
  });
});
