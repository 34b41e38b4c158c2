// A case's timer is due: the lifecycle fires whatever is due now (a rung's deadline, a held contact, the
// script's silence, a call-back, a follow-up). The job only says "look now"; the case row says what is due,
// so a duplicated, stale or retried job does nothing twice.
import type { Job } from 'bull';
import { getCase } from '../store/repositories/cases';
import type { Services } from '../services';
import type { CaseJob } from './queues';
import { UnrecoverableJobError } from '../errors';
import { runCaseEvent } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';

export async function processCaseJob(s: Services, job: Job<CaseJob>): Promise<string> {
  const data = job.data;
  if (!data || typeof data.caseId !== 'string' || typeof data.action !== 'string' || typeof data.due !== 'string')
    throw new UnrecoverableJobError(`malformed case job ${job.id}: ${JSON.stringify(data).slice(0, 200)}`);
  const c = await getCase(s.store.db, data.caseId);
  if (!c) return 'case gone';
  // The job was queued for a moment the case no longer waits for: its current timer has its own job.
  if (c.next_action_at !== data.due) return 'stale';
  if (Date.parse(data.due) > Date.now()) return 'not due yet';
  const out = await runCaseEvent(s, c.id, { type: 'timer_due' }, conversationPort, 'timer');
  return `${data.action} fired → ${out?.state.phase ?? 'gone'}${out?.next ? `, next ${out.next.action} at ${out.next.at}` : ''}`;
}
