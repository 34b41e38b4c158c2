import type { Db } from './cases';
import type { MessageRow } from '../schema';
import { newId, nowIso } from '../ids';

export type NewMessage = Omit<MessageRow, 'id' | 'created_at' | 'flow_id' | 'flow_version' | 'state_id' | 'intent' | 'confidence' | 'at_risk' | 'classification' | 'payload' | 'provider_id' | 'author'> &
  Partial<Pick<MessageRow, 'flow_id' | 'flow_version' | 'state_id' | 'intent' | 'confidence' | 'at_risk' | 'classification' | 'payload' | 'provider_id' | 'author'>>;

/** A message row as insertMessage writes it, not yet written. */
export function messageRow(m: NewMessage): MessageRow {
  return {
    id: newId(),
    created_at: nowIso(),
    flow_id: null,
    flow_version: null,
    state_id: null,
    intent: null,
    confidence: null,
    at_risk: null,
    classification: null,
    payload: null,
    provider_id: null,
    author: null,
    ...m,
  };
}

export async function insertMessage(db: Db, m: NewMessage): Promise<MessageRow> {
  const row = messageRow(m);
  await db.insertInto('messages').values(row).execute();
  return row;
}

export async function setMessageProviderId(db: Db, id: string, providerId: string | null): Promise<void> {
  await db.updateTable('messages').set({ provider_id: providerId }).where('id', '=', id).execute();
}

export const getMessage = (db: Db, id: string): Promise<MessageRow | undefined> =>
  db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();

/**
 * Takes the right to send an outbound message. Only one worker ever gets it, even when a job is
 * retried after a crash: a message is sent at most once.
 */
export async function claimMessageForSending(db: Db, id: string, claim: string): Promise<boolean> {
  const r = await db.updateTable('messages').set({ provider_id: `sending:${claim}` }).where('id', '=', id).where('provider_id', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export const listMessagesForCase = (db: Db, caseId: string): Promise<MessageRow[]> =>
  db.selectFrom('messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').orderBy('id').execute();
