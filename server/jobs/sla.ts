// SLA watch (worker role): an unclaimed handoff past its deadline is escalated once — flagged for
// supervisors, announced again on every desk, and audited.
import type { Services } from '../services';
import { markHandoffEscalated, overdueUnclaimedHandoffs } from '../store/repositories/handoffs';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';

export async function escalateOverdueHandoffs(s: Pick<Services, 'store' | 'events'>, now = nowIso()): Promise<number> {
  let escalated = 0;
  for (const h of await overdueUnclaimedHandoffs(s.store.db, now)) {
    // Several workers may run this check; only the one whose update lands announces it.
    if (!(await markHandoffEscalated(s.store.db, h.id, now))) continue;
    const lateSeconds = Math.round((Date.parse(now) - Date.parse(h.sla_due_at)) / 1000);
    await audit(s.store.db, { caseId: h.case_id, actor: 'sla', action: 'handoff_escalated', detail: { handoffId: h.id, reason: h.reason, priority: h.priority, slaDueAt: h.sla_due_at, lateSeconds } });
    s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'escalated' });
    escalated += 1;
  }
  return escalated;
}

/** Checks every `everyMs` (default 10 s, well under the shortest SLA of 2 min); returns the stop function. */
export function startSlaChecks(s: Pick<Services, 'store' | 'events' | 'log'>, everyMs = 10_000): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    escalateOverdueHandoffs(s)
      .then((n) => n && s.log.warn({ escalated: n }, 'handoffs escalated past their SLA'))
      .catch((err) => s.log.warn({ err: (err as Error).message }, 'SLA check failed'))
      .finally(() => (running = false));
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
