// Shared steps for the channel end-to-end tests: send a warning, read the case, advance the ladder's clock.
import path from 'node:path';
import { eventually, startStack, type Stack, type StackOptions } from '../support/stack';
import type { Store } from '../../server/store/db';

export const NO_QUIET_POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');

export interface E2E {
  stack: Stack;
  store: Store;
  stop(): Promise<void>;
}

/**
 * A stack with the no-quiet-hours policy, a fast outbox sweep (so "advancing time" takes a moment) and a
 * short wait for Twilio's confirmation after a request that got no answer.
 */
export async function startE2E(opts: StackOptions = {}): Promise<E2E> {
  const stack = await startStack({ ...opts, env: { POLICY_FILE: NO_QUIET_POLICY, OUTBOX_SWEEP_MS: '200', PROVIDER_CONFIRM_WAIT_MS: '1000', ...opts.env } });
  const store = await stack.db.open();
  return {
    stack,
    store,
    async stop() {
      await store.close();
      await stack.stop();
    },
  };
}

export interface Warning {
  phone: string;
  scamType?: string;
  riskLevel?: 'high' | 'medium' | 'low';
  name?: string;
  amount?: number;
  locale?: 'zh' | 'en';
  relatives?: { phone: string; relation?: string }[];
  telegramChatId?: string;
}

let counter = 0;
export async function warn(stack: Stack, w: Warning): Promise<{ caseId: string; caseRef: string }> {
  const body = { source: 'e2e', externalId: `E2E-${process.pid}-${Date.now()}-${++counter}`, name: '王某', scamType: 'pig_butchering', riskLevel: 'medium', amount: 8000, ...w };
  const r = await stack.api('POST', '/api/warnings', 'intake', body);
  if (r.status !== 202) throw new Error(`warning refused: ${r.status} ${JSON.stringify(r.body)}`);
  return { caseId: r.body.caseId, caseRef: r.body.caseRef };
}

export async function caseView(stack: Stack, caseId: string): Promise<any> {
  const r = await stack.api('GET', `/api/cases/${caseId}`, 'manager');
  if (r.status !== 200) throw new Error(`GET /api/cases/${caseId}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export async function caseRow(e: E2E, caseId: string) {
  return e.store.db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow();
}

/**
 * Time travel for one timer: the case's next action (its earliest lifecycle timer) becomes due now, in the
 * lifecycle state and on the case row alike; the sweeper queues it within OUTBOX_SWEEP_MS.
 */
export async function advance(e: E2E, caseId: string, action?: string): Promise<void> {
  const c = await eventually(async () => {
    const row = await caseRow(e, caseId);
    return row.next_action && (!action || row.next_action === action) ? row : undefined;
  }, `case ${caseId} to have a next action${action ? ` ${action}` : ''}`);
  const now = new Date().toISOString();
  const state = JSON.parse(c.lifecycle ?? '{"timers":[]}') as { timers: { action: string; at: string }[] };
  for (const t of state.timers) if (t.action === c.next_action && t.at === c.next_action_at) t.at = now;
  await e.store.db
    .updateTable('cases')
    .set({ next_action_at: now, lifecycle: JSON.stringify(state) })
    .where('id', '=', caseId)
    .where('next_action', '=', c.next_action)
    .where('next_action_at', '=', c.next_action_at)
    .execute();
}

export async function waitHandoff(stack: Stack, caseId: string, reason: string): Promise<any> {
  return eventually(async () => {
    const v = await caseView(stack, caseId);
    return v.handoffs.find((h: { reason: string }) => h.reason === reason);
  }, `a ${reason} handoff on case ${caseId}`);
}

export async function waitAudit(stack: Stack, caseId: string, action: string, count = 1): Promise<any[]> {
  return eventually(async () => {
    const v = await caseView(stack, caseId);
    const found = v.audit.filter((a: { action: string }) => a.action === action);
    return found.length >= count ? found : undefined;
  }, `${count} audit "${action}" on case ${caseId}`);
}

export { parseXml, findAll, type XmlNode } from '../support/twiml';
