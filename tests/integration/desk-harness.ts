// A whole quanzu web process for desk tests, on real parts where they matter (database, Redis queues,
// express app, webhooks, sessions) and small stand-ins where they don't (classifier, channels, one flow).
import type { Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { Policy } from '../../flows/engine';
import { parseFlow } from '../../flows/engine';
import type { Classification, Classifier, Intent } from '../../nlu-models/src/intents';
import { isAtRisk } from '../../nlu-models/src/intents';
import { loadConfig } from '../../server/config';
import { createLogger } from '../../server/log';
import { connectRedis } from '../../server/jobs/redis';
import { createQueues } from '../../server/jobs/queues';
import { LiveEvents, PendingEvents } from '../../server/events';
import { FlowRegistry } from '../../server/cases/flow-registry';
import { createApp } from '../../server/http/app';
import type { Services } from '../../server/services';
import type { Store } from '../../server/store/db';
import { storeWarning, validateWarning } from '../../server/cases/intake';
import { beginConversation } from '../../server/cases/conversation';
import { getCase, updateCase } from '../../server/store/repositories/cases';
import { insertUser, type UserRole } from '../../server/store/repositories/users';
import { hashPassword } from '../../server/people/passwords';
import type { Delivery, SentMessage } from '../../bots/channel';
import type { SmsChannel } from '../../bots/sms';
import type { VoiceChannel } from '../../bots/voice';
import { sqliteDatabase, uniqueSuffix, type TestDatabase } from '../support/databases';

export const twilioSid = (prefix: string): string => `${prefix}${randomBytes(16).toString('hex')}`;
export const AUTH_TOKEN = 'desk-test-auth-token-0123456789';
export const PASSWORD = 'correct horse battery';

const TEST_FLOW = `
id: fallback
version: 1
title: Desk test flow
locales: [zh, en]
start: greet
limits: { maxTurns: 10 }
on:
  already_paid:
    target: officer
    actions: [{ type: handoff, reason: already_paid }]
  mid_scam:
    target: officer
    actions: [{ type: handoff, reason: mid_scam }]
  turn_limit:
    target: officer
    actions: [{ type: handoff, reason: other }]
states:
  greet:
    say: { zh: "您好，这里是{centre_name}，案件编号{case_ref}。请问您是否已经给对方转过钱？", en: "Hello, this is {centre_name}, case {case_ref}. Have you transferred any money to them?" }
    default: officer
  officer:
    say: { zh: "民警马上联系您，请不要再转账。", en: "An officer will contact you now. Please do not transfer any more money." }
    default: officer
`;

/** Keyword rules standing in for the trained classifier: the desk tests are about the desk, not the NLU. */
export const keywordClassifier: Classifier = {
  modelVersion: 'desk-test',
  classify(text: string): Classification {
    const t = text.toLowerCase();
    const intent: Intent = /already paid|transferred|转了|已经付|汇了/.test(t) ? 'already_paid' : /safe account|安全账户|keep paying|继续/.test(t) ? 'mid_scam' : /officer|民警|人工/.test(t) ? 'request_human' : 'other';
    const amounts = [...t.matchAll(/(\d[\d,]*)\s*(元|yuan|rmb)/g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    const methods = [/支付宝|alipay/.test(t) && 'alipay', /微信|wechat/.test(t) && 'wechat_pay', /银行|bank/.test(t) && 'bank_transfer'].filter(Boolean) as string[];
    const times = [/刚才|just now/.exec(t)?.[0], /昨天|yesterday/.exec(t)?.[0], /\d{1,2}:\d{2}/.exec(t)?.[0]].filter(Boolean) as string[];
    return {
      intent,
      confidence: intent === 'other' ? 0.41 : 0.93,
      atRisk: isAtRisk(intent),
      locale: /[\u4e00-\u9fff]/.test(text) ? 'zh' : 'en',
      cues: /安全账户|safe account/.test(t) ? ['safe_account'] : [],
      lowConfidence: intent === 'other',
      payment: { amounts, methods, times },
      modelVersion: 'desk-test',
    };
  },
};

export class RecordingSms {
  readonly name = 'sms' as const;
  readonly sent: Delivery[] = [];
  async send(d: Delivery): Promise<SentMessage> {
    this.sent.push(d);
    return { providerId: twilioSid('SM'), status: 'queued' };
  }
}

export class RecordingVoice {
  readonly name = 'voice' as const;
  readonly bridges: { deskPhone: string; citizen: string; statusCallbackUrl: string; sayFirst: string }[] = [];
  async call(): Promise<SentMessage> {
    return { providerId: 'CAcall', status: 'queued' };
  }
  async bridge(deskPhone: string, citizen: string, statusCallbackUrl: string, sayFirst: string): Promise<SentMessage> {
    this.bridges.push({ deskPhone, citizen, statusCallbackUrl, sayFirst });
    return { providerId: twilioSid('CA'), status: 'queued' };
  }
}

export interface DeskHarness {
  s: Services;
  store: Store;
  baseUrl: string;
  sms: RecordingSms;
  voice: RecordingVoice;
  close(): Promise<void>;
}

export async function startDeskHarness(opts: { db?: TestDatabase; env?: Record<string, string> } = {}): Promise<DeskHarness> {
  const db = opts.db ?? sqliteDatabase();
  const prefix = `qz_test_desk_${uniqueSuffix()}`;
  const config = loadConfig({
    ...db.env,
    PORT: '0',
    QUEUE_PREFIX: prefix,
    TWILIO_ACCOUNT_SID: `AC${'0'.repeat(32)}`,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_FROM: '+8610950000',
    QUANZU_API_KEYS: 'intake:intake-key-123,desk:desk-key-12345',
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const log = createLogger('silent');
  const store = await db.open();
  const redis = connectRedis(config.redisUrl);
  const queues = createQueues(redis, prefix);
  const events = new LiveEvents(undefined, `${prefix}:events`);
  const flows = new FlowRegistry();
  const parsed = parseFlow(TEST_FLOW, { file: 'desk-test.yaml' });
  if (!parsed.flow) throw new Error(`test flow: ${JSON.stringify(parsed.issues)}`);
  flows.add(parsed.flow);
  const sms = new RecordingSms();
  const voice = new RecordingVoice();
  const s: Services = {
    config,
    log,
    store,
    queues,
    events,
    classifier: keywordClassifier,
    flows,
    policy: { flows: { byScamType: { other: 'fallback' } } } as unknown as Policy,
    channels: { sms: sms as unknown as SmsChannel, voice: voice as unknown as VoiceChannel },
    callbackBase: 'http://127.0.0.1:0',
  };
  const app = createApp(s);
  const server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const port = (server.address() as { port: number }).port;
  s.callbackBase = `http://127.0.0.1:${port}`;
  return {
    s,
    store,
    baseUrl: s.callbackBase,
    sms,
    voice,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await queues.cases.obliterate({ force: true }).catch(() => undefined);
      await queues.delivery.obliterate({ force: true }).catch(() => undefined);
      await queues.close();
      await redis.close();
      await store.close();
      await db.cleanup();
    },
  };
}

export async function addUser(store: Store, username: string, role: UserRole, extra: { phone?: string; displayName?: string } = {}): Promise<void> {
  await insertUser(store.db, { username, role, passwordHash: await hashPassword(PASSWORD), phone: extra.phone ?? null, displayName: extra.displayName ?? null });
}

/** A warned citizen whose conversation has begun by SMS (the first prompt was sent). */
export async function seedCase(s: Services, w: { phone: string; name?: string; externalId?: string; scamType?: string; riskLevel?: string; locale?: string; precinct?: string }): Promise<string> {
  const v = validateWarning({ source: 'province-centre', externalId: w.externalId ?? `W-${uniqueSuffix()}`, scamType: 'other', riskLevel: 'medium', locale: 'zh', ...w }, 'CN');
  if (!v.ok) throw new Error(v.reason);
  const r = await storeWarning(s.store.db, 0, v.value, 'test');
  if (r.status !== 'accepted') throw new Error(`warning not accepted: ${JSON.stringify(r)}`);
  const c = (await getCase(s.store.db, r.caseId))!;
  const pending = new PendingEvents();
  const turn = await s.store.db.transaction().execute((trx) => beginConversation(trx, s, c, s.flows.current('fallback')!, 'sms', pending, { actor: 'outreach' }));
  await s.store.db.updateTable('messages').set({ provider_id: 'SMseeded' }).where('id', '=', turn.outbound!.id).execute();
  // No background jobs in these tests: the case waits for the citizen.
  await updateCase(s.store.db, c.id, { next_action: null, next_action_at: null });
  return c.id;
}

/** Posts an SMS from the citizen to the app's webhook, signed exactly as Twilio signs it. */
export async function citizenTexts(h: DeskHarness, from: string, body: string): Promise<Response> {
  const url = `${h.baseUrl}/webhooks/twilio/sms`;
  const params = { MessageSid: twilioSid('SM'), AccountSid: h.s.config.twilio.accountSid, From: from, To: h.s.config.twilio.from, Body: body, NumMedia: '0' };
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params);
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Twilio-Signature': signature }, body: new URLSearchParams(params).toString() });
}

/** A signed-in person talking to the API: keeps the session cookie and sends the CSRF token. */
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

  async request(method: string, path: string, body?: unknown, opts: { csrf?: string | null } = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Forwarded-For': this.ip };
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
