// Environment → one typed, validated configuration. Every problem is listed with how to fix it.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

// 'station': police-station officers (issue 15) — the station page and its API only.
export const ROLES = ['intake', 'desk', 'station', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiKey {
  role: Role;
  key: string;
  /** Intake keys only: the warning sources this key may post for and read back. Absent = every source (legacy). */
  sources?: string[];
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** What express's `trust proxy` accepts, minus `true` (which believes X-Forwarded-For from anyone). */
export type TrustProxy = false | number | string | string[];

export interface Config {
  port: number;
  /** Address the HTTP servers listen on (web role, and a worker's metrics port). */
  host: string;
  /** Which proxies' X-Forwarded-For is believed (express `trust proxy`); false = none. */
  trustProxy: TrustProxy;
  publicUrl?: string;
  databaseUrl: string;
  /** PostgreSQL schema (search_path); tests use one per run. */
  databaseSchema?: string;
  redisUrl: string;
  queuePrefix: string;
  defaultRegion: string;
  twilio: { accountSid: string; authToken: string; from: string; apiBase?: string; deskNumber?: string; voiceZh: string; voiceEn: string };
  telegram: { botToken?: string; webhookSecret?: string; apiRoot?: string };
  apiKeys: ApiKey[];
  centre: { name: { zh: string; en: string }; callbackNumber: string };
  logLevel: string;
  /** Worker role: port of its own /healthz, /readyz and /metrics (its job timings live in that process). */
  workerMetricsPort?: number;
  /** Triage policy YAML; default flows/policy.yaml. */
  policyFile?: string;
  /** The centre's local time offset from UTC, minutes (quiet hours are local). */
  utcOffsetMinutes: number;
  /** Largest request body accepted, bytes. */
  bodyLimit: number;
  /** How often the worker sweeps the outbox for due actions, ms. */
  outboxSweepMs: number;
  /** After a Twilio request got no answer: how long to wait for its status callback before sending again. */
  providerConfirmWaitMs: number;
  /** An outbox send claimed longer ago than this, and not finished, is confirmed with the provider before anything else. */
  outboxClaimStaleMs: number;
  /** How long an API request may take before it is answered 503 dependency_timeout, ms. */
  requestTimeoutMs: number;
  retention: RetentionPolicy;
  /** At SIGTERM: how long the process keeps answering (readiness already failing) before it stops listening, ms. */
  shutdownDrainMs: number;
  /** Then: how long open requests and active jobs get before their connections are cut, ms. */
  shutdownTimeoutMs: number;
  /** Organisation (issue 15): the units and banks files, officers' default capacity, how often auto-assignment runs. */
  org: { unitsFile?: string; banksFile?: string; defaultCapacity: number; autoAssignMs: number };
}

/** How long data of closed cases is kept, in days (null = kept until deleted by hand). See docs/retention.md. */
export interface RetentionPolicy {
  /** Message texts, rendered payloads, what the classifier extracted (amounts, accounts), the flow's slots. */
  transcriptsDays: number | null;
  /** Phone numbers, names, relatives, Telegram chat ids, provider error texts; numbers in notes and audit details. */
  numbersDays: number | null;
  /** Call recordings (none are stored yet: the recording store adds its step to server/retention/). */
  recordingsDays: number | null;
  /** Webhook de-duplication keys (provider_events): providers re-deliver within hours. */
  providerEventsDays: number;
  /** How often a worker checks whether the daily run is due, ms. */
  checkEveryMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const envSchema = z.object({
  PORT: optional,
  HOST: optional,
  TRUST_PROXY: optional,
  PUBLIC_URL: optional,
  DATABASE_URL: optional,
  DATABASE_SCHEMA: optional,
  REDIS_URL: optional,
  QUEUE_PREFIX: optional,
  DEFAULT_REGION: optional,
  TWILIO_ACCOUNT_SID: optional,
  TWILIO_AUTH_TOKEN: optional,
  TWILIO_FROM: optional,
  TWILIO_API_BASE: optional,
  TWILIO_DESK_NUMBER: optional,
  TWILIO_VOICE_ZH: optional,
  TWILIO_VOICE_EN: optional,
  TELEGRAM_BOT_TOKEN: optional,
  TELEGRAM_WEBHOOK_SECRET: optional,
  TELEGRAM_API_ROOT: optional,
  QUANZU_API_KEYS: optional,
  CENTRE_NAME_ZH: optional,
  CENTRE_NAME_EN: optional,
  CENTRE_CALLBACK_NUMBER: optional,
  LOG_LEVEL: optional,
  POLICY_FILE: optional,
  WORKER_METRICS_PORT: optional,
  CENTRE_UTC_OFFSET_MINUTES: optional,
  BODY_LIMIT_BYTES: optional,
  OUTBOX_SWEEP_MS: optional,
  PROVIDER_CONFIRM_WAIT_MS: optional,
  OUTBOX_CLAIM_STALE_MS: optional,
  SHUTDOWN_DRAIN_MS: optional,
  REQUEST_TIMEOUT_MS: optional,
  RETENTION_TRANSCRIPT_DAYS: optional,
  RETENTION_NUMBER_DAYS: optional,
  RETENTION_RECORDING_DAYS: optional,
  RETENTION_PROVIDER_EVENT_DAYS: optional,
  RETENTION_CHECK_MS: optional,
  SHUTDOWN_TIMEOUT_MS: optional,
  UNITS_FILE: optional,
  BANKS_FILE: optional,
  DESK_CAPACITY: optional,
  AUTO_ASSIGN_MS: optional,
});

function isUrl(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

type Env = z.infer<typeof envSchema>;

function days(name: string, raw: string | undefined, fallback: number | null, problems: string[], allowNever = true): number | null {
  if (raw === undefined) return fallback;
  if (allowNever && raw.toLowerCase() === 'never') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 36_500) {
    problems.push(`${name} must be whole days from 1 to 36500${allowNever ? ' (or "never")' : ''}, got "${raw}".`);
    return fallback;
  }
  return n;
}

function parseRetention(e: Env, problems: string[]): RetentionPolicy {
  const checkEveryMs = e.RETENTION_CHECK_MS === undefined ? 3_600_000 : Number(e.RETENTION_CHECK_MS);
  if (!Number.isInteger(checkEveryMs) || checkEveryMs < 100) problems.push(`RETENTION_CHECK_MS must be whole milliseconds ≥ 100, got "${e.RETENTION_CHECK_MS}".`);
  return {
    transcriptsDays: days('RETENTION_TRANSCRIPT_DAYS', e.RETENTION_TRANSCRIPT_DAYS, 180, problems),
    numbersDays: days('RETENTION_NUMBER_DAYS', e.RETENTION_NUMBER_DAYS, 365, problems),
    recordingsDays: days('RETENTION_RECORDING_DAYS', e.RETENTION_RECORDING_DAYS, 90, problems),
    providerEventsDays: days('RETENTION_PROVIDER_EVENT_DAYS', e.RETENTION_PROVIDER_EVENT_DAYS, 30, problems, false)!,
    checkEveryMs,
  };
}

/** What `npm run retention` needs: the database and the policy, without the providers' credentials. */
export function loadRetentionConfig(env: NodeJS.ProcessEnv = process.env): { databaseUrl: string; databaseSchema?: string; retention: RetentionPolicy } {
  const e = envSchema.parse(env);
  const problems: string[] = [];
  const databaseUrl = e.DATABASE_URL ?? `sqlite://${path.resolve('data', 'quanzu.sqlite')}`;
  if (!/^(postgres|postgresql|sqlite):\/\//.test(databaseUrl)) problems.push(`DATABASE_URL must start with postgres:// or sqlite:// (or be unset for ./data/quanzu.sqlite); got "${databaseUrl}".`);
  const retention = parseRetention(e, problems);
  if (problems.length) throw new ConfigError(problems);
  return { databaseUrl, databaseSchema: e.DATABASE_SCHEMA, retention };
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isCidrOrIp(v: string): boolean {
  const [addr, bits, ...rest] = v.split('/');
  if (rest.length || !addr) return false;
  const family = net.isIP(addr);
  if (!family) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

function parseTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  if (raw === undefined || ['off', 'false', 'no', 'none'].includes(raw.toLowerCase())) return false;
  if (raw.toLowerCase() === 'true')
    return (problems.push('TRUST_PROXY=true would believe X-Forwarded-For from anyone: give your proxy\'s address (e.g. 10.0.0.5 or 10.0.0.0/24), "loopback", or the number of proxies in front (1).'), false);
  if (/^\d+$/.test(raw)) {
    const hops = Number(raw);
    if (hops >= 1 && hops <= 10) return hops;
    return (problems.push(`TRUST_PROXY as a number is how many proxies stand in front (1-10), got "${raw}".`), false);
  }
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const e of entries)
    if (!PROXY_NAMES.includes(e) && !isCidrOrIp(e)) problems.push(`TRUST_PROXY entry "${e}" is not an IP address, a CIDR range, or one of ${PROXY_NAMES.join(', ')}.`);
  return entries.length === 1 ? entries[0]! : entries;
}

/** `role:key`, or for intake `intake@source|source:key` (the key is everything after the first colon). */
function parseApiKeys(raw: string, problems: string[]): ApiKey[] {
  const keys: ApiKey[] = [];
  for (const pair of raw.split(',').map((p) => p.trim()).filter(Boolean)) {
    const i = pair.indexOf(':');
    const head = i < 0 ? pair : pair.slice(0, i);
    const at = head.indexOf('@');
    const role = (at < 0 ? head : head.slice(0, at)) as Role;
    const key = i < 0 ? '' : pair.slice(i + 1);
    if (i < 1 || !ROLES.includes(role)) {
      problems.push(`QUANZU_API_KEYS entry "${pair.slice(0, 20)}" must be role:key with role one of ${ROLES.join(', ')}.`);
      continue;
    }
    let sources: string[] | undefined;
    if (at >= 0) {
      const scope = head.slice(at + 1);
      const how = 'write intake@<source>|<source>:<key>, e.g. intake@province-centre:<key>.';
      if (role !== 'intake') {
        problems.push(`QUANZU_API_KEYS entry "${head}" is scoped to sources, but only intake keys post warnings: write ${role}:<key>.`);
        continue;
      }
      if (!scope) {
        problems.push(`QUANZU_API_KEYS entry "${head}" names no source: ${how}`);
        continue;
      }
      sources = scope.split('|').map((x) => x.trim());
      if (sources.some((x) => !x)) {
        problems.push(`QUANZU_API_KEYS entry "${head}" names an empty source: ${how}`);
        continue;
      }
    }
    if (key.length < 8) problems.push(`QUANZU_API_KEYS key for role ${role} is shorter than 8 characters: use a long random key (openssl rand -hex 24).`);
    else keys.push(sources ? { role, key, sources } : { role, key });
  }
  return keys;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = envSchema.parse(env);
  const problems: string[] = [];

  const port = e.PORT === undefined ? 3000 : Number(e.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a port number (0-65535), got "${e.PORT}".`);

  const host = e.HOST ?? '127.0.0.1';
  if (!net.isIP(host) && !/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(host))
    problems.push(`HOST must be the address to listen on (127.0.0.1, 0.0.0.0, ::, or one interface address), got "${host}".`);
  const trustProxy = parseTrustProxy(e.TRUST_PROXY, problems);

  if (e.PUBLIC_URL && !isUrl(e.PUBLIC_URL, ['http:', 'https:']))
    problems.push(`PUBLIC_URL must be the public http(s) URL Twilio and Telegram call, e.g. https://quanzu.example.gov.cn; got "${e.PUBLIC_URL}".`);

  const databaseUrl = e.DATABASE_URL ?? `sqlite://${path.resolve('data', 'quanzu.sqlite')}`;
  if (!/^(postgres|postgresql|sqlite):\/\//.test(databaseUrl))
    problems.push(`DATABASE_URL must start with postgres:// or sqlite:// (or be unset for ./data/quanzu.sqlite); got "${databaseUrl}".`);
  if (e.DATABASE_SCHEMA && !/^[a-z_][a-z0-9_]{0,62}$/.test(e.DATABASE_SCHEMA))
    problems.push(`DATABASE_SCHEMA must be a lower-case SQL identifier, got "${e.DATABASE_SCHEMA}".`);

  const redisUrl = e.REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!isUrl(redisUrl, ['redis:', 'rediss:'])) problems.push(`REDIS_URL must look like redis://host:6379, got "${redisUrl}".`);

  const queuePrefix = e.QUEUE_PREFIX ?? 'quanzu';
  if (!/^[A-Za-z0-9:_-]{1,64}$/.test(queuePrefix)) problems.push(`QUEUE_PREFIX may only hold letters, digits, ':', '_' and '-', got "${queuePrefix}".`);

  const twilioSid = e.TWILIO_ACCOUNT_SID ?? '';
  const twilioToken = e.TWILIO_AUTH_TOKEN ?? '';
  const twilioFrom = e.TWILIO_FROM ?? '';
  if (!twilioSid) problems.push('TWILIO_ACCOUNT_SID is missing: copy the Account SID (AC…) from the Twilio console.');
  else if (!/^AC[0-9a-fA-F]{32}$/.test(twilioSid)) problems.push(`TWILIO_ACCOUNT_SID must be "AC" followed by 32 hex digits, got "${twilioSid.slice(0, 6)}…".`);
  if (!twilioToken) problems.push('TWILIO_AUTH_TOKEN is missing: copy the Auth Token from the Twilio console (it also verifies webhook signatures).');
  if (!twilioFrom) problems.push('TWILIO_FROM is missing: the Twilio number warnings are sent from, in E.164 (+8610…).');
  else if (!/^\+[1-9]\d{6,14}$/.test(twilioFrom)) problems.push(`TWILIO_FROM must be an E.164 number like +12025550100, got "${twilioFrom}".`);
  if (e.TWILIO_API_BASE && !isUrl(e.TWILIO_API_BASE, ['http:', 'https:'])) problems.push(`TWILIO_API_BASE must be an http(s) URL, got "${e.TWILIO_API_BASE}".`);
  if (e.TWILIO_DESK_NUMBER && !/^\+[1-9]\d{6,14}$/.test(e.TWILIO_DESK_NUMBER))
    problems.push(`TWILIO_DESK_NUMBER must be an E.164 number, got "${e.TWILIO_DESK_NUMBER}".`);

  if (e.TELEGRAM_BOT_TOKEN && !/^\d+:[A-Za-z0-9_-]{20,}$/.test(e.TELEGRAM_BOT_TOKEN))
    problems.push('TELEGRAM_BOT_TOKEN does not look like a bot token ("123456:ABC…" from @BotFather).');
  if (e.TELEGRAM_BOT_TOKEN && e.PUBLIC_URL && !e.TELEGRAM_WEBHOOK_SECRET)
    problems.push('TELEGRAM_WEBHOOK_SECRET is required when PUBLIC_URL and TELEGRAM_BOT_TOKEN are set (webhook mode): generate one with `openssl rand -hex 32`.');
  if (e.TELEGRAM_WEBHOOK_SECRET && !/^[A-Za-z0-9_-]{16,256}$/.test(e.TELEGRAM_WEBHOOK_SECRET))
    problems.push('TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z, a-z, 0-9, _ and - (Telegram\'s rule): generate one with `openssl rand -hex 32`.');
  if (e.TELEGRAM_API_ROOT && !isUrl(e.TELEGRAM_API_ROOT, ['http:', 'https:'])) problems.push(`TELEGRAM_API_ROOT must be an http(s) URL, got "${e.TELEGRAM_API_ROOT}".`);

  let apiKeys: ApiKey[] = [];
  if (!e.QUANZU_API_KEYS) {
    problems.push('QUANZU_API_KEYS is missing: give role:key pairs, comma separated, e.g. intake@province-centre:$(openssl rand -hex 24),desk:$(openssl rand -hex 24).');
  } else {
    apiKeys = parseApiKeys(e.QUANZU_API_KEYS, problems);
  }

  const callbackNumber = e.CENTRE_CALLBACK_NUMBER ?? '96110';
  const bodyLimit = e.BODY_LIMIT_BYTES === undefined ? 2_000_000 : Number(e.BODY_LIMIT_BYTES);
  if (!Number.isInteger(bodyLimit) || bodyLimit < 1024) problems.push(`BODY_LIMIT_BYTES must be a whole number ≥ 1024, got "${e.BODY_LIMIT_BYTES}".`);

  const utcOffsetMinutes = e.CENTRE_UTC_OFFSET_MINUTES === undefined ? 480 : Number(e.CENTRE_UTC_OFFSET_MINUTES);
  if (!Number.isInteger(utcOffsetMinutes) || Math.abs(utcOffsetMinutes) > 14 * 60) problems.push(`CENTRE_UTC_OFFSET_MINUTES must be whole minutes east of UTC (China: 480), got "${e.CENTRE_UTC_OFFSET_MINUTES}".`);
  const outboxSweepMs = e.OUTBOX_SWEEP_MS === undefined ? 5000 : Number(e.OUTBOX_SWEEP_MS);
  if (!Number.isInteger(outboxSweepMs) || outboxSweepMs < 50) problems.push(`OUTBOX_SWEEP_MS must be whole milliseconds ≥ 50, got "${e.OUTBOX_SWEEP_MS}".`);
  const providerConfirmWaitMs = e.PROVIDER_CONFIRM_WAIT_MS === undefined ? 60_000 : Number(e.PROVIDER_CONFIRM_WAIT_MS);
  if (!Number.isInteger(providerConfirmWaitMs) || providerConfirmWaitMs < 100) problems.push(`PROVIDER_CONFIRM_WAIT_MS must be whole milliseconds ≥ 100, got "${e.PROVIDER_CONFIRM_WAIT_MS}".`);
  const outboxClaimStaleMs = e.OUTBOX_CLAIM_STALE_MS === undefined ? 60_000 : Number(e.OUTBOX_CLAIM_STALE_MS);
  // Longer than a provider request may take (the Twilio client gives up after 10 s), or a live send would be confirmed early.
  if (!Number.isInteger(outboxClaimStaleMs) || outboxClaimStaleMs < 11_000) problems.push(`OUTBOX_CLAIM_STALE_MS must be whole milliseconds ≥ 11000 (longer than a provider request may take), got "${e.OUTBOX_CLAIM_STALE_MS}".`);
  const requestTimeoutMs = e.REQUEST_TIMEOUT_MS === undefined ? 10_000 : Number(e.REQUEST_TIMEOUT_MS);
  if (!Number.isInteger(requestTimeoutMs) || requestTimeoutMs < 100 || requestTimeoutMs > 600_000)
    problems.push(`REQUEST_TIMEOUT_MS must be whole milliseconds from 100 to 600000, got "${e.REQUEST_TIMEOUT_MS}".`);
  const shutdownDrainMs = e.SHUTDOWN_DRAIN_MS === undefined ? 0 : Number(e.SHUTDOWN_DRAIN_MS);
  if (!Number.isInteger(shutdownDrainMs) || shutdownDrainMs < 0 || shutdownDrainMs > 120_000)
    problems.push(`SHUTDOWN_DRAIN_MS must be whole milliseconds from 0 to 120000 (about your load balancer's probe interval × failures), got "${e.SHUTDOWN_DRAIN_MS}".`);
  const shutdownTimeoutMs = e.SHUTDOWN_TIMEOUT_MS === undefined ? 10_000 : Number(e.SHUTDOWN_TIMEOUT_MS);
  if (!Number.isInteger(shutdownTimeoutMs) || shutdownTimeoutMs < 100 || shutdownTimeoutMs > 300_000)
    problems.push(`SHUTDOWN_TIMEOUT_MS must be whole milliseconds from 100 to 300000, got "${e.SHUTDOWN_TIMEOUT_MS}".`);
  if (e.POLICY_FILE && !fs.existsSync(e.POLICY_FILE)) problems.push(`POLICY_FILE points to "${e.POLICY_FILE}", which does not exist.`);
  if (e.UNITS_FILE && !fs.existsSync(e.UNITS_FILE)) problems.push(`UNITS_FILE points to "${e.UNITS_FILE}", which does not exist (see org/units.example.yaml).`);
  if (e.BANKS_FILE && !fs.existsSync(e.BANKS_FILE)) problems.push(`BANKS_FILE points to "${e.BANKS_FILE}", which does not exist (see org/banks.example.yaml).`);
  const defaultCapacity = e.DESK_CAPACITY === undefined ? 3 : Number(e.DESK_CAPACITY);
  if (!Number.isInteger(defaultCapacity) || defaultCapacity < 1 || defaultCapacity > 100) problems.push(`DESK_CAPACITY must be a whole number of cases from 1 to 100, got "${e.DESK_CAPACITY}".`);
  const autoAssignMs = e.AUTO_ASSIGN_MS === undefined ? 2000 : Number(e.AUTO_ASSIGN_MS);
  if (!Number.isInteger(autoAssignMs) || (autoAssignMs !== 0 && autoAssignMs < 100)) problems.push(`AUTO_ASSIGN_MS must be whole milliseconds ≥ 100 (or 0 to turn auto-assignment off), got "${e.AUTO_ASSIGN_MS}".`);

  const workerMetricsPort = e.WORKER_METRICS_PORT === undefined ? undefined : Number(e.WORKER_METRICS_PORT);
  if (workerMetricsPort !== undefined && (!Number.isInteger(workerMetricsPort) || workerMetricsPort < 0 || workerMetricsPort > 65535))
    problems.push(`WORKER_METRICS_PORT must be a port number (0-65535), got "${e.WORKER_METRICS_PORT}".`);

  const retention = parseRetention(e, problems);
  const logLevel = (e.LOG_LEVEL ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${e.LOG_LEVEL}".`);

  if (problems.length) throw new ConfigError(problems);

  return {
    port,
    host,
    trustProxy,
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    databaseUrl,
    databaseSchema: e.DATABASE_SCHEMA,
    redisUrl,
    queuePrefix,
    defaultRegion: (e.DEFAULT_REGION ?? 'CN').toUpperCase(),
    twilio: {
      accountSid: twilioSid,
      authToken: twilioToken,
      from: twilioFrom,
      apiBase: e.TWILIO_API_BASE?.replace(/\/+$/, ''),
      deskNumber: e.TWILIO_DESK_NUMBER,
      voiceZh: e.TWILIO_VOICE_ZH ?? 'Polly.Zhiyu-Neural',
      voiceEn: e.TWILIO_VOICE_EN ?? 'Polly.Joanna-Neural',
    },
    telegram: { botToken: e.TELEGRAM_BOT_TOKEN, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, apiRoot: e.TELEGRAM_API_ROOT?.replace(/\/+$/, '') },
    apiKeys,
    centre: {
      name: { zh: e.CENTRE_NAME_ZH ?? '市反诈中心', en: e.CENTRE_NAME_EN ?? 'City Anti-Fraud Centre' },
      callbackNumber,
    },
    logLevel,
    policyFile: e.POLICY_FILE,
    workerMetricsPort,
    utcOffsetMinutes,
    bodyLimit,
    outboxSweepMs,
    providerConfirmWaitMs,
    outboxClaimStaleMs,
    requestTimeoutMs,
    retention,
    shutdownDrainMs,
    shutdownTimeoutMs,
    org: { unitsFile: e.UNITS_FILE, banksFile: e.BANKS_FILE, defaultCapacity, autoAssignMs },
  };
}
