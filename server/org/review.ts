// The second review (二次研判): a review handoff is decided with its own form — send officers to the door,
// call again, or close as a false alarm — and a reason. The decision goes through the case's lifecycle: a
// visit becomes a task for the chosen police station, with the deadline of the case's risk tier.
import { z } from 'zod';
import type { Services } from '../services';
import type { HandoffRow } from '../store/schema';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { getHandoff, resolveHandoff } from '../store/repositories/handoffs';
import { audit } from '../store/repositories/audit';
import { isoIn } from '../store/ids';
import { PendingEvents } from '../events';
import { advanceCase, lockCase, type Advanced } from '../cases/case-events';
import { conversationPort } from '../cases/conversation';
import { dispatch } from '../cases/outbox';
import { holdsClaim, type Viewer } from '../people/visibility';
import { seesUnit, supervisesUnit } from './people';
import { unitCode } from './units-file';
import type { RiskLevel } from '../../flows/engine/vocabulary';

export const REVIEW_DECISIONS = ['visit', 'call_again', 'false_alarm'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

const reason = z.string().trim().min(2, 'required: why (the reviewer’s reasoning goes on the case)').max(1000);
export const reviewSchema = z.discriminatedUnion(
  'decision',
  [
    z.object({ decision: z.literal('visit'), reason, stationCode: unitCode.optional() }).strict(),
    z.object({ decision: z.literal('call_again'), reason }).strict(),
    z.object({ decision: z.literal('false_alarm'), reason }).strict(),
  ],
  { message: `must be one of ${REVIEW_DECISIONS.join(', ')}` },
);
export type ReviewInput = z.infer<typeof reviewSchema>;

/** What the review's handoff is closed with (the case's own outcome comes from its lifecycle). */
const HANDOFF_OUTCOME: Record<ReviewDecision, string> = { visit: 'visit_dispatched', call_again: 'returned_to_flow', false_alarm: 'false_alarm' };

export async function decideReview(s: Services, v: Viewer, handoffId: string, input: ReviewInput): Promise<{ handoff: HandoffRow; station: string | null; deadlineAt: string | null }> {
  const h = await getHandoff(s.store.db, handoffId);
  if (!h) throw new NotFoundError(`handoff ${handoffId} not found`);
  if (h.kind !== 'review') throw new ConflictError('this handoff is not a second review: resolve it with the desk’s outcomes');
  if (h.status === 'resolved') throw new ConflictError('this review is already decided');
  const dir = s.org.units;
  const c0 = await s.store.db.selectFrom('cases').select(['unit_id', 'risk_level']).where('id', '=', h.case_id).executeTakeFirst();
  if (!c0) throw new NotFoundError(`case ${h.case_id} not found`);
  if (!holdsClaim(v, h) && !supervisesUnit(dir, v, c0.unit_id)) throw new ForbiddenError(h.status === 'claimed' ? `this review is claimed by ${h.claimed_by}` : 'claim the review before deciding it');

  let station: string | null = null;
  let deadlineAt: string | null = null;
  if (input.decision === 'visit') {
    const caseUnit = dir.byId(c0.unit_id);
    const unit = input.stationCode ? dir.byCode(input.stationCode) : caseUnit?.kind === 'station' ? caseUnit : undefined;
    if (!unit) throw new ValidationError(input.stationCode ? `stationCode: no unit ${input.stationCode}` : 'stationCode: required: the police station that goes to the door (the case names none)');
    if (unit.kind !== 'station') throw new ValidationError(`stationCode: ${unit.code} is a ${unit.kind}, not a police station`);
    if (unit.retired) throw new ConflictError(`station ${unit.code} is retired`);
    if (!seesUnit(dir, v, unit.id)) throw new ForbiddenError(`station ${unit.code} is not under your unit`);
    station = unit.id;
    const minutes = s.org.visitDeadlineMinutes[(['low', 'medium', 'high'].includes(c0.risk_level) ? c0.risk_level : 'medium') as RiskLevel];
    deadlineAt = isoIn(minutes * 60_000);
  }

  const pending = new PendingEvents();
  const done = await s.store.db.transaction().execute(async (trx): Promise<Advanced | false> => {
    const c = await lockCase(trx, s, h.case_id);
    if (!c) return false;
    const detail = { review: { decision: input.decision, reason: input.reason, station: station ? dir.byId(station)!.code : null, deadlineAt } };
    if (!(await resolveHandoff(trx, h.id, HANDOFF_OUTCOME[input.decision], detail, input.reason))) return false;
    await audit(trx, { caseId: c.id, actor: v.id, action: 'handoff_resolved', detail: { handoffId: h.id, outcome: HANDOFF_OUTCOME[input.decision], ...detail } });
    return advanceCase(
      trx,
      s,
      c,
      { type: 'review_decided', decision: input.decision, reason: input.reason, ...(station && deadlineAt ? { station, deadlineAt } : {}) },
      pending,
      conversationPort,
      v.id,
    );
  });
  if (!done) throw new ConflictError('this review is already decided');
  pending.flushTo(s.events);
  await dispatch(s, done);
  s.events.publish({ type: 'handoff', handoffId: h.id, caseId: h.case_id, change: 'resolved' });
  return { handoff: (await getHandoff(s.store.db, h.id))!, station: station ? dir.byId(station)!.code : null, deadlineAt };
}
