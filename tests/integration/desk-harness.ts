// The whole of quanzu for desk tests, on real parts only: the app (web + workers) started as in production,
// the trained classifier, the shipped flows and policy (without quiet hours), a fresh database, Redis
// queues under a unique prefix, and the local phone network where citizens' phones ring and get texts.
import path from 'node:path';
import type { PhoneControl } from '../../tools/phone-network/server';
import type { SmsRecord } from '../../tools/phone-network/types';
import type { Store } from '../../server/store/db';
import { insertUser, type UserRole } from '../../server/store/repositories/users';
import { hashPassword } from '../../server/people/passwords';
import { eventually, startStack, type Stack } from '../support/stack';
import type { TestDatabase } from '../support/databases';

export const PASSWORD = 'correct horse battery';
export const NO_QUIET_POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');

export interface DeskHarness {
  stack: Stack;
  /** The stack's database, opened a second time for the test to read and set up users. */
  store: Store;
  baseUrl: string;
  /** The citizens' side of the phone network. */
  net: PhoneControl;
  close(): Promise<void>;
}

export async function startDeskHarness(opts: { db?: TestDatabase; env?: Record<string, string> } = {}): Promise<DeskHarness> {
  const stack = await startStack({ db: opts.db, env: { POLICY_FILE: NO_QUIET_POLICY, OUTBOX_SWEEP_MS: '200', TRUST_PROXY: 'loopback', ...opts.env } });
  const store = await stack.db.open();
  return {
    stack,
    store,
    baseUrl: stack.appUrl,
    net: stack.network.control,
    async close() {
      await store.close();
      await stack.stop();
    },
  };
}

export async function addUser(store: Store, username: string, role: UserRole, extra: { phone?: string; displayName?: string } = {}): Promise<void> {
  await insertUser(store.db, { username, role, passwordHash: await hashPassword(PASSWORD), phone: extra.phone ?? null, displayName: extra.displayName ?? null });
}

export interface Warned {
  caseId: string;
  caseRef: string;
  /** The flow's first text, as it reached the citizen's phone. */
  greeting: SmsRecord;
}

let counter = 0;

/**
 * The province centre warns about a citizen (medium risk by default, so the flow starts by SMS);
 * resolves once the flow's first text has reached their phone.
 */
export async function warnCitizen(
  h: DeskHarness,
  w: { phone: string; name?: string; scamType?: string; riskLevel?: 'high' | 'medium' | 'low'; locale?: 'zh' | 'en'; precinct?: string; unitCode?: string; address?: string; relatives?: { phone: string; relation?: string }[] },
): Promise<Warned> {
  const body = { source: 'province-centre', externalId: `W-${process.pid}-${Date.now()}-${++counter}`, scamType: 'other', riskLevel: 'medium', locale: 'zh', ...w };
  const r = await h.stack.api('POST', '/api/warnings', 'intake', body);
  if (r.status !== 202) throw new Error(`warning refused: ${r.status} ${JSON.stringify(r.body)}`);
  const greeting = await h.net.waitForSms(w.phone, { timeoutMs: 15_000, contains: r.body.caseRef });
  return { caseId: r.body.caseId, caseRef: r.body.caseRef, greeting };
}

/** The citizen texts back from their phone; resolves with the HTTP status the app gave the webhook. */
export async function citizenTexts(h: DeskHarness, from: string, body: string): Promise<number> {
  const sms = await h.net.sendSms(from, body);
  const [hook] = await h.net.callbacks({ ref: sms.sid, kind: 'incoming-sms' });
  if (!hook) throw new Error(`the network did not deliver the text from ${from} to the app`);
  return hook.status;
}

/** The handoff the case has for the desk, once it exists. */
export async function handoffOf(h: DeskHarness, caseId: string, reason?: string): Promise<{ id: string; reason: string; status: string }> {
  return eventually(async () => {
    let q = h.store.db.selectFrom('handoffs').select(['id', 'reason', 'status']).where('case_id', '=', caseId);
    if (reason) q = q.where('reason', '=', reason);
    return q.executeTakeFirst();
  }, `a ${reason ?? ''} handoff on case ${caseId}`);
}

/**
 * A signed-in person talking to the API: keeps the session cookie and sends the CSRF token. Their address
 * travels in X-Forwarded-For, which the harness's app believes from loopback (TRUST_PROXY=loopback).
 */
export class Person {
  cookie?: string;
  csrf?: string;
  constructor(
    private readonly baseUrl: string,
    readonly ip = '127.0.0.1',
  ) {}

  async login(username: string, password = PASSWORD): Promise<Response> {
    const res = await this.request('POST', '/api/session', { username, password });
    if (res.ok) {
      const body = (await res.clone().json()) as { csrfToken: string };
      this.csrf = body.csrfToken;
    }
    return res;
  }

  async request(method: string, path: string, body?: unknown, opts: { csrf?: string | null; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Forwarded-For': this.ip, ...opts.headers };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (this.cookie) headers.Cookie = this.cookie;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const set = res.headers.getSetCookie();
    for (const c of set) {
      const [pair] = c.split(';');
      if (/^(__Host-)?qz_session=$/.test(pair!)) this.cookie = undefined;
      else if (/^(__Host-)?qz_session=/.test(pair!)) this.cookie = pair;
    }
    return res;
  }

  async json<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await this.request(method, path, body);
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}
