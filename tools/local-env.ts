// Made-up credentials and the matching app environment for running quanzu against the local phone
// network (demo, end-to-end tests, benchmarks). Never used with real providers.
import { randomBytes } from 'node:crypto';
import type { Role } from '../server/config';
import { startPhoneNetwork, type PhoneNetwork, type PhoneNetworkOptions } from './phone-network/server';

export interface LocalCredentials {
  accountSid: string;
  authToken: string;
  botToken: string;
  telegramSecret: string;
  keys: Record<Role, string>;
}

export function makeLocalCredentials(): LocalCredentials {
  const key = (role: string) => `${role}-${randomBytes(12).toString('hex')}`;
  return {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    botToken: `${100000 + Math.floor(Math.random() * 899999)}:${randomBytes(18).toString('base64url')}`,
    telegramSecret: randomBytes(24).toString('hex'),
    keys: { intake: key('intake'), desk: key('desk'), station: key('station'), manager: key('manager'), admin: key('admin') },
  };
}

/** Starts the phone network wired to call the app at appUrl with these credentials. */
export function startLocalNetwork(
  appUrl: string,
  creds: LocalCredentials,
  opts: Omit<PhoneNetworkOptions, 'twilio' | 'telegram'> & { botUsername?: string } = {},
): Promise<PhoneNetwork> {
  const { botUsername, ...rest } = opts;
  return startPhoneNetwork({
    ...rest,
    twilio: { accountSid: creds.accountSid, authToken: creds.authToken, incomingSmsUrl: `${appUrl}/webhooks/twilio/sms`, incomingVoiceUrl: `${appUrl}/webhooks/twilio/voice` },
    telegram: { botToken: creds.botToken, ...(botUsername ? { botUsername } : {}) },
  });
}

/** The app's environment for a local run: providers pointed at the phone network. */
/** `intakeSources`: the sources the intake key may post for (`intake@a|b:key`); absent = any source. */
export function localAppEnv(o: { port: number; networkUrl: string; creds: LocalCredentials; redisUrl: string; queuePrefix: string; database: Record<string, string | undefined>; intakeSources?: string[] }): Record<string, string> {
  const keyEntry = ([role, key]: [string, string]) => (role === 'intake' && o.intakeSources?.length ? `intake@${o.intakeSources.join('|')}:${key}` : `${role}:${key}`);
  const env: Record<string, string> = {
    PORT: String(o.port),
    PUBLIC_URL: `http://127.0.0.1:${o.port}`,
    REDIS_URL: o.redisUrl,
    QUEUE_PREFIX: o.queuePrefix,
    TWILIO_ACCOUNT_SID: o.creds.accountSid,
    TWILIO_AUTH_TOKEN: o.creds.authToken,
    TWILIO_FROM: '+12025550100',
    TWILIO_API_BASE: o.networkUrl,
    TELEGRAM_BOT_TOKEN: o.creds.botToken,
    TELEGRAM_WEBHOOK_SECRET: o.creds.telegramSecret,
    TELEGRAM_API_ROOT: o.networkUrl,
    QUANZU_API_KEYS: Object.entries(o.creds.keys).map(keyEntry).join(','),
  };
  for (const [k, v] of Object.entries(o.database)) if (v !== undefined) env[k] = v;
  return env;
}
