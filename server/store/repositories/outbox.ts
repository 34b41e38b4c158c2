// The outbox table: every outbound effect, written with the decision to send it, sent by the relay at most
// once. Every change of status is a compare-and-set on the status (and, while sending, on the claim token),
// so a stale or duplicated relay run can never take a send that another run holds or has done.
import { randomUUID } from 'node:crypto';
import type { Db } from './cases';
import type { OutboxRow, OutboxStatus, OutboxTable } from '../schema';
import { newId, nowIso } from '../ids';

export type NewOutbox = Pick<OutboxTable, 'case_id' | 'kind' | 'channel' | 'purpose' | 'target'> & Partial<Pick<OutboxTable, 'attempt_id' | 'message_id' | 'payload' | 'due_at'>>;

export async function insertOutbox(db: Db, o: NewOutbox): Promise<OutboxRow> {
  const now = nowIso();
  const row: OutboxRow = {
    id: newId(),
    attempt_id: null,
    message_id: null,
    payload: null,
    due_at: now,
    ...o,
    status: 'pending',
    claim_token: null,
    claimed_at: null,
    tries: 0,
    provider_id: null,
    error: null,
    created_at: now,
    updated_at: now,
  };
  await db.insertInto('outbox').values(row).execute();
  return row;
}

export const getOutbox = (db: Db, id: string): Promise<OutboxRow | undefined> => db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();

export const outboxForMessage = (db: Db, messageId: string): Promise<OutboxRow | undefined> =>
  db.selectFrom('outbox').selectAll().where('message_id', '=', messageId).executeTakeFirst();

export const outboxForAttempt = (db: Db, attemptId: string): Promise<OutboxRow | undefined> =>
  db.selectFrom('outbox').selectAll().where('attempt_id', '=', attemptId).executeTakeFirst();

/** Takes the right to send a pending row that is due; only one caller ever gets it. Returns the claim token. */
export async function claimOutbox(db: Db, id: string, now = nowIso()): Promise<string | undefined> {
  const token = randomUUID();
  const r = await db
    .updateTable('outbox')
    .set({ status: 'sending', claim_token: token, claimed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('due_at', '<=', now)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0 ? token : undefined;
}

/**
 * The relay's usual case in one statement: takes a pending row that is due and answers it as claimed
 * (undefined when it is not pending, not due, or someone else took it: the caller then reads it).
 */
export async function claimDueOutbox(db: Db, id: string, now = nowIso()): Promise<OutboxRow | undefined> {
  const token = randomUUID();
  return db
    .updateTable('outbox')
    .set({ status: 'sending', claim_token: token, claimed_at: now, updated_at: now })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('due_at', '<=', now)
    .returningAll()
    .executeTakeFirst();
}

/** Moves a row on from one status to another; false when someone else moved it first. */
export async function moveOutbox(
  db: Db,
  id: string,
  from: { status: OutboxStatus | OutboxStatus[]; token?: string },
  to: Partial<Pick<OutboxRow, 'status' | 'due_at' | 'tries' | 'provider_id' | 'error' | 'claim_token' | 'claimed_at'>>,
): Promise<boolean> {
  let q = db
    .updateTable('outbox')
    .set({ ...to, updated_at: nowIso() })
    .where('id', '=', id)
    .where('status', 'in', Array.isArray(from.status) ? from.status : [from.status]);
  if (from.token) q = q.where('claim_token', '=', from.token);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Calls off rows of these attempts that nobody has started to send. */
export async function cancelPendingForAttempts(db: Db, attemptIds: string[]): Promise<number> {
  if (!attemptIds.length) return 0;
  const r = await db.updateTable('outbox').set({ status: 'cancelled', updated_at: nowIso() }).where('attempt_id', 'in', attemptIds).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Rows the relay must look at now: due pending and unconfirmed ones, and sends whose claimer went quiet. */
export const outboxDue = (db: Db, now: string, staleBefore: string, limit: number): Promise<Pick<OutboxRow, 'id' | 'status' | 'due_at'>[]> =>
  db
    .selectFrom('outbox')
    .select(['id', 'status', 'due_at'])
    .where((eb) => eb.or([eb.and([eb('status', 'in', ['pending', 'unconfirmed']), eb('due_at', '<=', now)]), eb.and([eb('status', '=', 'sending'), eb('claimed_at', '<=', staleBefore)])]))
    .orderBy('due_at')
    .limit(limit)
    .execute();

/** Provider ids the case already knows (so a look-up with the provider never mistakes one send for another). */
export async function knownProviderIds(db: Db, caseId: string): Promise<Set<string>> {
  const [a, m, o] = await Promise.all([
    db.selectFrom('contact_attempts').select('provider_id').where('case_id', '=', caseId).where('provider_id', 'is not', null).execute(),
    db.selectFrom('messages').select('provider_id').where('case_id', '=', caseId).where('provider_id', 'is not', null).execute(),
    db.selectFrom('outbox').select('provider_id').where('case_id', '=', caseId).where('provider_id', 'is not', null).execute(),
  ]);
  return new Set([...a, ...m, ...o].map((r) => r.provider_id!));
}
