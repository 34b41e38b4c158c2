// The outbox table: every outbound effect, written with the decision to send it, sent by the relay at most
// once. Every change of status is a compare-and-set on the status (and, while sending, on the claim token),
// so a stale or duplicated relay run can never take a send that another run holds or has done.
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './cases';
import type { Dialect } from '../db';
import { advanceAttemptStatus, attemptRow, beginAttempt, furtherThan, type NewAttempt } from './attempts';
import { setMessageProviderId } from './messages';
import type { AttemptRow, CaseUpdate, MessageRow, OutboxRow, OutboxStatus, OutboxTable } from '../schema';
import { newId, nowIso } from '../ids';

export type NewOutbox = Pick<OutboxTable, 'case_id' | 'kind' | 'channel' | 'purpose' | 'target'> & Partial<Pick<OutboxTable, 'attempt_id' | 'message_id' | 'payload' | 'due_at'>>;

export async function insertOutbox(db: Db, o: NewOutbox): Promise<OutboxRow> {
  const row = outboxRow(o);
  await db.insertInto('outbox').values(row).execute();
  return row;
}

function outboxRow(o: NewOutbox): OutboxRow {
  const now = nowIso();
  return {
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
}

/**
 * A contact attempt and the outbox row that sends it, written together: one statement on PostgreSQL (the
 * outbox row is inserted from the attempt's insert, so only when that inserted). Undefined when the attempt
 * was decided before (its dedupe key is taken): nothing is written, nothing may be sent again.
 */
/**
 * A contact attempt and the outbox row that sends it; nothing when the attempt was decided before (its dedupe
 * key exists). On PostgreSQL one statement, which may also carry the case's update (`caseUpdate`: written only
 * when the attempt is, `caseWritten` says so), so a decision ending in a contact writes no statement of its own,
 * and the message the row sends (`message`, rendered but not yet written: a case opened in this transaction).
 */
export async function beginAttemptWithOutbox(
  db: Db,
  dialect: Dialect,
  a: NewAttempt,
  o: Omit<NewOutbox, 'attempt_id'>,
  caseUpdate?: { id: string; patch: CaseUpdate },
  message?: MessageRow,
): Promise<{ attempt: AttemptRow; outbox: OutboxRow; caseWritten: boolean } | undefined> {
  if (dialect !== 'postgres') {
    const { attempt, created } = await beginAttempt(db, a);
    if (!created) return undefined;
    if (message) await db.insertInto('messages').values(message).execute();
    return { attempt, outbox: await insertOutbox(db, { ...o, attempt_id: attempt.id }), caseWritten: false };
  }
  const attempt = attemptRow(a);
  const outbox = outboxRow({ ...o, attempt_id: attempt.id });
  // Every outbox column but `tries` (its default, 0) is text, so the selected parameters need no casts.
  const { tries: _tries, attempt_id: _attemptId, ...rest } = outbox;
  const columns = Object.keys(rest) as Array<keyof typeof rest>;
  const assignments = caseUpdate
    ? Object.entries({ ...caseUpdate.patch, updated_at: nowIso() })
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => sql`${sql.ref(k)} = ${v}`)
    : [];
  const messageEntries = message ? Object.entries(message).filter(([, v]) => v !== undefined) : [];
  const { rows } = await sql<{ id: string }>`
    with begun as (
      insert into contact_attempts (${sql.join(Object.keys(attempt).map((k) => sql.ref(k)))}) values (${sql.join(Object.values(attempt))})
      on conflict (dedupe_key) do nothing returning id)${
        message
          ? sql`, written_message as (insert into messages (${sql.join(messageEntries.map(([k]) => sql.ref(k)))}) select ${sql.join(messageEntries.map(([, v]) => v))} where exists (select 1 from begun))`
          : sql``
      }${
        caseUpdate ? sql`, updated as (update cases set ${sql.join(assignments)} where id = ${caseUpdate.id} and exists (select 1 from begun))` : sql``
      }
    insert into outbox (${sql.join(columns.map((k) => sql.ref(k)))}, attempt_id)
    select ${sql.join(columns.map((k) => rest[k]))}, begun.id from begun returning id`.execute(db);
  return rows.length ? { attempt, outbox, caseWritten: !!caseUpdate } : undefined;
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
async function claimDueOutbox(db: Db, id: string, now = nowIso()): Promise<OutboxRow | undefined> {
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

/**
 * claimDueOutbox, and on PostgreSQL in the same statement the payload of the message the row sends (null when
 * it sends none or the message has none); on SQLite the payload is left to the caller (undefined).
 */
export async function claimDueOutboxWithPayload(db: Db, dialect: Dialect, id: string, now = nowIso()): Promise<{ row: OutboxRow; messagePayload?: string | null } | undefined> {
  if (dialect !== 'postgres') {
    const row = await claimDueOutbox(db, id, now);
    return row && { row };
  }
  const token = randomUUID();
  const { rows } = await sql<OutboxRow & { message_payload: string | null }>`
    with claimed as (
      update outbox set status = 'sending', claim_token = ${token}, claimed_at = ${now}, updated_at = ${now}
      where id = ${id} and status = 'pending' and due_at <= ${now} returning *)
    select claimed.*, m.payload as message_payload from claimed left join messages m on m.id = claimed.message_id`.execute(db);
  if (!rows[0]) return undefined;
  const { message_payload: messagePayload, ...row } = rows[0];
  return { row, messagePayload };
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

/**
 * The send went out: the row moves to sent with the provider's id (only from `from`, as moveOutbox), and its
 * message and its attempt get that id too (the attempt's status advanced as advanceAttemptStatus does). Answers
 * the row's case, or undefined when the row had moved on meanwhile (or does not exist), and then nothing is
 * written. The row is named by its id alone when the caller has not read it (a status callback).
 * PostgreSQL does it in one statement; on SQLite the caller holds a transaction around the reads and writes.
 */
export async function recordSent(
  db: Db,
  dialect: Dialect,
  outbox: string | Pick<OutboxRow, 'id' | 'case_id' | 'message_id' | 'attempt_id'>,
  providerId: string,
  status: string,
  from: { status: OutboxStatus | OutboxStatus[]; token?: string },
): Promise<string | undefined> {
  const id = typeof outbox === 'string' ? outbox : outbox.id;
  if (dialect === 'sqlite') {
    const row = typeof outbox === 'string' ? await getOutbox(db, outbox) : outbox;
    if (!row || !(await moveOutbox(db, id, from, { status: 'sent', provider_id: providerId }))) return undefined;
    if (row.message_id) await setMessageProviderId(db, row.message_id, providerId);
    if (row.attempt_id) await advanceAttemptStatus(db, row.attempt_id, status, undefined, providerId);
    return row.case_id;
  }
  return sentInOneStatement(db, { outboxId: id, from, providerId, status, attempt: 'of the row' });
}

/**
 * A progress report (queued, sent, ringing…) on PostgreSQL in one statement, without reading first: the attempt
 * named in the callback advances by rank, and the outbox row, when it still waits for confirmation, is confirmed
 * with its message. Answers the row's case when it was confirmed.
 */
export const recordProgressReport = (db: Db, r: { outboxId: string; attemptId: string; providerId: string; status: string; errorCode?: string }): Promise<string | undefined> =>
  sentInOneStatement(db, { outboxId: r.outboxId, from: { status: ['pending', 'sending', 'unconfirmed'] }, providerId: r.providerId, status: r.status, attempt: { id: r.attemptId, errorCode: r.errorCode } });

/**
 * PostgreSQL: the outbox row to sent, its message's provider id, and an attempt's status, as one statement.
 * The attempt is the row's own, changed only with the row ('of the row'), or one named apart and changed
 * whatever became of the row.
 */
async function sentInOneStatement(
  db: Db,
  o: { outboxId: string; from: { status: OutboxStatus | OutboxStatus[]; token?: string }; providerId: string; status: string; attempt: 'of the row' | { id: string; errorCode?: string } },
): Promise<string | undefined> {
  const now = nowIso();
  const statuses = Array.isArray(o.from.status) ? o.from.status : [o.from.status];
  const further = furtherThan(o.status);
  const behind = further.length ? sql`status not in (${sql.join(further)})` : sql`true`;
  const named = o.attempt === 'of the row' ? undefined : o.attempt;
  const attemptId = named ? sql`${named.id}` : sql`(select attempt_id from o)`;
  const errorCode = named?.errorCode === undefined ? sql`error_code` : sql`case when ${behind} then ${named.errorCode} else error_code end`;
  const moved = await sql<{ case_id: string }>`
    with o as (
      update outbox set status = 'sent', provider_id = ${o.providerId}, updated_at = ${now}
      where id = ${o.outboxId} and status in (${sql.join(statuses)})${o.from.token ? sql` and claim_token = ${o.from.token}` : sql``}
      returning case_id, message_id, attempt_id
    ), m as (
      update messages set provider_id = ${o.providerId} where id = (select message_id from o)
    ), a as (
      update contact_attempts
      set status = case when ${behind} then ${o.status} else status end, error_code = ${errorCode},
          provider_id = coalesce(provider_id, ${o.providerId}), updated_at = ${now}
      where id = ${attemptId} and (${behind} or provider_id is null)
    )
    select case_id from o`.execute(db);
  return moved.rows[0]?.case_id;
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
