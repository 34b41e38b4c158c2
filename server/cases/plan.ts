// The contact plan triage makes for a case, and where the case stands on its contact ladder.
import type { TriagePlan } from '../../flows/engine';
import { fromJson } from '../store/ids';

/** The triage plan, plus where the case stands on its contact ladder. */
export interface ContactPlan extends TriagePlan {
  ladder: Ladder;
}

export interface Ladder {
  /** Index into channels of the channel being tried. */
  index: number;
  attemptsOnChannel: number;
  totalAttempts: number;
  stage: 'primary' | 'relatives' | 'exhausted';
  relativeIndex: number;
  /** The person has answered a call or replied: the ladder stops. */
  reached: boolean;
  /** Dedupe key of the attempt last counted, so a retried job does not count (or place) it twice. */
  lastAttemptKey?: string;
}

export const newLadder = (): Ladder => ({ index: 0, attemptsOnChannel: 0, totalAttempts: 0, stage: 'primary', relativeIndex: 0, reached: false });

export const readPlan = (text: string | null): ContactPlan | undefined => fromJson<ContactPlan | undefined>(text, undefined);

/** Minutes-of-day for "HH:MM". */
const minutesOf = (hhmm: string): number => {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/**
 * When quiet hours forbid contact now, the moment they end (UTC ISO); otherwise undefined.
 * Quiet hours are in the centre's local time, given as a UTC offset in minutes (China: +480).
 */
export function quietUntil(plan: ContactPlan, riskLevel: string, now = new Date(), utcOffsetMinutes = 480): string | undefined {
  const q = plan.quietHours;
  if (!q || (q.overrideForHighRisk && riskLevel === 'high')) return undefined;
  const local = new Date(now.getTime() + utcOffsetMinutes * 60_000);
  const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
  const start = minutesOf(q.start);
  const end = minutesOf(q.end);
  const inside = start > end ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const wait = (end - minute + 1440) % 1440;
  return new Date(now.getTime() + wait * 60_000).toISOString();
}
