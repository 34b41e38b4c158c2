// Handoff rules: who gets a human, how urgently, and by when someone must have claimed it.
import { HANDOFF_PRIORITIES, type HandoffReason } from '../../flows/engine/vocabulary';
import { openOrRaiseHandoff } from '../store/repositories/handoffs';
import { audit } from '../store/repositories/audit';
import { isoIn } from '../store/ids';
import type { Db } from '../store/repositories/cases';
import type { EventSink } from '../events';

/** Minutes an unclaimed handoff may wait, by priority, before it is escalated to supervisors. */
export const SLA_MINUTES: Record<number, number> = {
  [HANDOFF_PRIORITIES.already_paid]: 2,
  [HANDOFF_PRIORITIES.mid_scam]: 5,
  [HANDOFF_PRIORITIES.unreachable_high]: 15,
  [HANDOFF_PRIORITIES.normal]: 30,
  [HANDOFF_PRIORITIES.review]: 60,
};

export function priorityFor(reason: HandoffReason, riskLevel: string): number {
  switch (reason) {
    case 'already_paid':
      return HANDOFF_PRIORITIES.already_paid;
    case 'mid_scam':
      return HANDOFF_PRIORITIES.mid_scam;
    case 'unreachable':
      return riskLevel === 'high' ? HANDOFF_PRIORITIES.unreachable_high : HANDOFF_PRIORITIES.normal;
    case 'review':
      return HANDOFF_PRIORITIES.review;
    default:
      return HANDOFF_PRIORITIES.normal;
  }
}

export function slaMinutes(priority: number): number {
  const known = Object.keys(SLA_MINUTES).map(Number).sort((a, b) => b - a);
  const bucket = known.find((p) => priority >= p) ?? HANDOFF_PRIORITIES.review;
  return SLA_MINUTES[bucket] ?? 60;
}

export async function handOff(
  db: Db,
  events: EventSink | undefined,
  h: { caseId: string; reason: HandoffReason; riskLevel: string; priority?: number; note?: string; actor: string; slaMinutes?: number },
): Promise<{ handoffId: string; change: 'opened' | 'raised' | 'unchanged' }> {
  const priority = h.priority ?? priorityFor(h.reason, h.riskLevel);
  const { handoff, change } = await openOrRaiseHandoff(db, {
    caseId: h.caseId,
    reason: h.reason,
    priority,
    note: h.note,
    slaDueAt: isoIn((h.slaMinutes ?? slaMinutes(priority)) * 60_000),
  });
  if (change !== 'unchanged') {
    await audit(db, { caseId: h.caseId, actor: h.actor, action: change === 'opened' ? 'handoff_opened' : 'handoff_raised', detail: { reason: h.reason, priority } });
    events?.publish({ type: 'handoff', handoffId: handoff.id, caseId: h.caseId, change });
  }
  return { handoffId: handoff.id, change };
}
