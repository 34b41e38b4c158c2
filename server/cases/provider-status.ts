// A provider's status report on one of our sends (an SMS's or a call's status callback). One that means
// something for the case (delivered, undelivered, unanswered, ended…) is carried out in one transaction:
// remembered once by its natural key, the outbox row confirmed, the attempt's status recorded, a failure
// audited and the case's lifecycle told the attempt's outcome; the lifecycle's new work is dispatched after
// commit. On PostgreSQL the key, the attempt's read, the case's lock and (for a send already confirmed) the
// attempt's status are one statement: a delivered SMS is five statements, BEGIN and COMMIT included. Progress (queued, sent, ringing) only records the status: two statements, one on PostgreSQL. Each
// step used to commit on its own, five to eight commits per callback and two or three callbacks per message,
// and that commit traffic was most of the cost of a send (docs/performance.md). One transaction also means a failure
// half-way forgets the key with everything else, so the provider's retry is processed whole.
//
// Lock order, the same as every other case transaction: the case first (on PostgreSQL), then its outbox rows
// and attempts. The delivery key is inserted before the case lock; a second delivery of the same key waits on
// its unique index and then finds it taken.
import type { Services } from '../services';
import type { AttemptRow } from '../store/schema';
import { firstDelivery, firstDeliveryLockingCase, type FirstDeliveryLocked } from '../store/repositories/provider-events';
import { recordProgressReport } from '../store/repositories/outbox';
import { findAttemptByProviderId, getAttempt, recordAttemptStatus } from '../store/repositories/attempts';
import { audit } from '../store/repositories/audit';
import { confirmFromCallback } from '../jobs/outbox-relay';
import { PendingEvents } from '../events';
import { advanceCase, lockCase, type Advanced, type CasePort } from './case-events';
import { dispatch, type Tx } from './outbox';
import type { AttemptOutcome } from './lifecycle';

export interface ProviderStatus {
  /** natural key of this report (provider id + status): a re-delivery changes nothing */
  key: string;
  /** the outbox row and attempt named in the callback URL, when the send was ours */
  outboxId?: string;
  attemptId?: string;
  providerId: string;
  status: string;
  errorCode?: string;
}

/** What a status means for its attempt (undefined: progress only, nothing for the lifecycle). */
export interface StatusMeaning {
  outcome: AttemptOutcome;
  permanent?: boolean;
  /** audit action for a send that did not reach the person */
  failure?: string;
}

export async function recordProviderStatus(s: Services, st: ProviderStatus, meaning: StatusMeaning | undefined, port: CasePort): Promise<void> {
  if (!meaning) return recordProgress(s, st);
  const pending = new PendingEvents();
  let confirmed: string | undefined;
  const advanced = await s.store.db.transaction().execute(async (trx): Promise<Advanced | undefined> => {
    const { first, attempt, locked, statusRecorded } = await firstDeliveryOf(trx, s, st);
    if (!first) return undefined;
    const c = locked ?? (attempt && (await lockCase(trx, s, attempt.case_id)));
    if (mayNeedConfirming(st, attempt)) confirmed = await confirmFromCallback(trx, s.store.dialect, st.outboxId!, st.providerId);
    if (!attempt || !c) return undefined;
    if (!statusRecorded) await recordAttemptStatus(trx, attempt, st.status, st.errorCode, st.providerId);
    if (meaning.failure) await audit(trx, { caseId: attempt.case_id, actor: 'twilio', action: meaning.failure, detail: { status: st.status, errorCode: st.errorCode, attemptNo: attempt.attempt_no } });
    // The lifecycle matches the outcome to its own attempt: one for an attempt it moved past changes nothing.
    const event = { type: 'attempt_outcome' as const, attempt: attempt.attempt_no, outcome: meaning.outcome, ...(meaning.permanent ? { permanent: true } : {}) };
    return advanceCase(trx, s, c, event, pending, port, 'twilio');
  });
  if (confirmed) s.events.publish({ type: 'case', caseId: confirmed, change: 'delivered' });
  pending.flushTo(s.events);
  if (advanced) await dispatch(s, advanced);
}

/**
 * A status that is progress only (queued, sent, ringing…): nothing for the lifecycle, so no delivery key and
 * no case lock. Its writes are idempotent (a status never takes an attempt back; a confirmed row stays
 * confirmed), so a re-delivery, or Twilio's retry after a failure half-way, does no harm.
 */
async function recordProgress(s: Services, st: ProviderStatus): Promise<void> {
  const { db, dialect } = s.store;
  if (dialect === 'postgres' && st.outboxId && st.attemptId) {
    const caseId = await recordProgressReport(db, { outboxId: st.outboxId, attemptId: st.attemptId, providerId: st.providerId, status: st.status, errorCode: st.errorCode });
    if (caseId) s.events.publish({ type: 'case', caseId, change: 'delivered' });
    return;
  }
  const attempt = await findAttempt(db, st);
  let confirmed: string | undefined;
  if (mayNeedConfirming(st, attempt)) {
    confirmed = dialect === 'postgres' ? await confirmFromCallback(db, dialect, st.outboxId!, st.providerId) : await db.transaction().execute((trx) => confirmFromCallback(trx, dialect, st.outboxId!, st.providerId));
  }
  if (attempt) await recordAttemptStatus(db, attempt, st.status, st.errorCode, st.providerId);
  if (confirmed) s.events.publish({ type: 'case', caseId: confirmed, change: 'delivered' });
}

/**
 * Whether this report is new, and its attempt. On PostgreSQL, when the callback names the attempt, one statement
 * also locks the case and records the status on an attempt that needs no confirming.
 */
async function firstDeliveryOf(trx: Tx, s: Services, st: ProviderStatus): Promise<FirstDeliveryLocked> {
  if (s.store.dialect === 'postgres' && st.attemptId) return firstDeliveryLockingCase(trx, { key: st.key, attemptId: st.attemptId, providerId: st.providerId, status: st.status, errorCode: st.errorCode });
  if (!(await firstDelivery(trx, st.key))) return { first: false, statusRecorded: false };
  return { first: true, attempt: await findAttempt(trx, st), statusRecorded: false };
}

const findAttempt = (db: Tx, st: ProviderStatus) => (st.attemptId ? getAttempt(db, st.attemptId) : findAttemptByProviderId(db, st.providerId));

/**
 * Any status means the provider has the send: one the relay could not confirm is confirmed now. An attempt
 * that already carries this provider id was confirmed with it (the relay writes both in one transaction).
 */
const mayNeedConfirming = (st: ProviderStatus, attempt: AttemptRow | undefined): boolean => !!st.outboxId && attempt?.provider_id !== st.providerId;
