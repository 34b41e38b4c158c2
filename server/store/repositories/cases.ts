import type { Kysely, QueryCreator } from 'kysely';
import type { CaseRow, CaseUpdate, Database, NewCase } from '../schema';
import { nowIso } from '../ids';

export type Db = Kysely<Database>;

/**
 * The columns of a case nothing has happened to yet: no conversation, flow, channel, plan, lifecycle or outcome,
 * opened now. Intake and a return contact open cases from it.
 */
export const untouchedCaseState = (now: string) =>
  ({
    conversation: null,
    flow_id: null,
    flow_version: null,
    active_channel: null,
    next_action: null,
    next_action_at: null,
    plan: null,
    lifecycle: null,
    opted_out: 0,
    outcome: null,
    opened_at: now,
    updated_at: now,
    closed_at: null,
  }) satisfies Partial<CaseRow>;

export const getCase = (db: Db, id: string): Promise<CaseRow | undefined> =>
  db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();

export const getCaseByRef = (db: Db, ref: string): Promise<CaseRow | undefined> =>
  db.selectFrom('cases').selectAll().where('case_ref', '=', ref.toUpperCase()).executeTakeFirst();

export const findOpenCaseByPhone = (db: Db, phone: string): Promise<CaseRow | undefined> =>
  db.selectFrom('cases').selectAll().where('phone', '=', phone).where('status', '=', 'open').executeTakeFirst();

/** The most recent case for a phone, open or closed (citizens who call back after a case closed). */
export const findLatestCaseByPhone = (db: Db, phone: string): Promise<CaseRow | undefined> =>
  db.selectFrom('cases').selectAll().where('phone', '=', phone).orderBy('opened_at', 'desc').limit(1).executeTakeFirst();

export const findOpenCaseByTelegramChat = (db: Db, chatId: string): Promise<CaseRow | undefined> =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('telegram_chat_id', '=', chatId)
    .where('status', '=', 'open')
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();

/** The most recent case bound to a Telegram chat, open or closed (a citizen writing after close). */
export const findLatestCaseByTelegramChat = (db: Db, chatId: string): Promise<CaseRow | undefined> =>
  db.selectFrom('cases').selectAll().where('telegram_chat_id', '=', chatId).orderBy('opened_at', 'desc').limit(1).executeTakeFirst();

export async function insertCase(db: Db, row: NewCase): Promise<void> {
  await db.insertInto('cases').values(row).execute();
}

export async function updateCase(db: Db, id: string, patch: CaseUpdate): Promise<void> {
  await caseUpdate(db, id, patch).execute();
}

/** The update updateCase runs, not yet run (a statement of its own, or a CTE in another). */
export const caseUpdate = (q: QueryCreator<Database>, id: string, patch: CaseUpdate) =>
  q.updateTable('cases').set({ ...patch, updated_at: nowIso() }).where('id', '=', id);

/** Cases whose next action is due (open ones, and closed ones with a follow-up): what the sweeper re-queues. */
export const casesWithDueAction = (db: Db, now: string, limit: number): Promise<Pick<CaseRow, 'id' | 'next_action' | 'next_action_at'>[]> =>
  db
    .selectFrom('cases')
    .select(['id', 'next_action', 'next_action_at'])
    .where('next_action', 'is not', null)
    .where('next_action_at', '<=', now)
    .orderBy('next_action_at')
    .limit(limit)
    .execute();

/** An open case that lists this number among the person's relatives (a relative answering our SMS). */
export const findOpenCaseByRelativePhone = (db: Db, phone: string): Promise<CaseRow | undefined> =>
  db
    .selectFrom('cases')
    .selectAll()
    .where('status', '=', 'open')
    .where('relatives', 'like', `%"phone":"${phone.replace(/[^+\d]/g, '')}"%`)
    .orderBy('opened_at', 'desc')
    .limit(1)
    .executeTakeFirst();
