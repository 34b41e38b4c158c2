// The whole app for the managers' console tests, on real parts: server/main.ts on loopback with the
// local phone network, a fresh database, a unique Redis prefix and the SMS-only test policy, so what a
// citizen receives is read from the phone network. `store` is a second connection to the same database,
// for seeding data and reading what the app wrote.
import path from 'node:path';
import { startStack, type Stack, type StackOptions } from '../support/stack';
import type { TestDatabase } from '../support/databases';
import type { Store } from '../../server/store/db';

export const SMS_ONLY_POLICY = path.resolve(__dirname, '..', 'support', 'policies', 'sms-only.yaml');

export interface Harness {
  stack: Stack;
  url: string;
  store: Store;
  close(): Promise<void>;
}

/** The example organisation (city CITY, districts D01 and D02, their stations), for tests that need units. */
export const EXAMPLE_UNITS = path.resolve(__dirname, '..', '..', 'org', 'units.example.yaml');

export async function startHarness(db: TestDatabase, opts: Pick<StackOptions, 'role' | 'env'> = {}): Promise<Harness> {
  const stack = await startStack({ db, role: opts.role, env: { POLICY_FILE: SMS_ONLY_POLICY, ...opts.env } });
  const store = await db.open();
  return {
    stack,
    url: stack.appUrl,
    store,
    async close() {
      await store.close();
      await stack.stop();
    },
  };
}

/** fetch with an API key of the given role (the manager's unless told). */
export function managerFetch(h: Harness, p: string, init: { method?: string; body?: unknown; as?: keyof Stack['keys'] } = {}) {
  return fetch(`${h.url}${p}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${h.stack.keys[init.as ?? 'manager']}`, ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
}

/** Files a warning through the intake API as a partner centre would; returns the new case's id. */
export async function fileWarning(h: Harness, w: { externalId: string; phone: string; name?: string; locale: 'zh' | 'en'; scamType: string; riskLevel: 'low' | 'medium' | 'high' }): Promise<string> {
  const res = await managerFetch(h, '/api/warnings', { method: 'POST', as: 'intake', body: { source: 'province-centre', ...w } });
  const body = (await res.json()) as { caseId?: string };
  if (res.status !== 202 || !body.caseId) throw new Error(`warning ${w.externalId} not accepted: ${res.status} ${JSON.stringify(body)}`);
  return body.caseId;
}
