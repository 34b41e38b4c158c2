// npm run demo: the whole loop on this machine with no credentials. Starts the local phone network and
// the app (web + workers) against Redis and a SQLite file, loads sample warnings, prints where to look.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { start } from '../../server/main';
import { startPhoneNetwork } from '../phone-network/server';

const APP_PORT = Number(process.env.PORT ?? 3000);
const NETWORK_PORT = Number(process.env.PHONE_NETWORK_PORT ?? 4010);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function checkRedis(): Promise<void> {
  const r = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, retryStrategy: () => null, connectTimeout: 2000, lazyConnect: true });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
  } catch {
    console.error(`Redis is not reachable at ${REDIS_URL}.\nStart it with:  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no`);
    process.exit(1);
  } finally {
    r.disconnect();
  }
}

async function main(): Promise<void> {
  await checkRedis();
  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  const dataDir = path.resolve('data');
  fs.mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, `demo-${Date.now()}.sqlite`);
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const botToken = `700000:${randomBytes(18).toString('base64url')}`;
  const intakeKey = `demo-intake-${randomBytes(6).toString('hex')}`;
  const deskKey = `demo-desk-${randomBytes(6).toString('hex')}`;
  const managerKey = `demo-manager-${randomBytes(6).toString('hex')}`;

  console.log('• starting the local phone network (stands in for Twilio and Telegram)…');
  const network = await startPhoneNetwork({
    port: NETWORK_PORT,
    twilio: { accountSid, authToken, incomingSmsUrl: `${appUrl}/webhooks/twilio/sms`, incomingVoiceUrl: `${appUrl}/webhooks/twilio/voice` },
    telegram: { botToken, botUsername: 'quanzu_demo_bot' },
    ringMs: 20000,
  });

  console.log('• starting quanzu (web + workers)…');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(APP_PORT),
    PUBLIC_URL: appUrl,
    DATABASE_URL: `sqlite://${dbFile}`,
    REDIS_URL,
    QUEUE_PREFIX: `quanzu-demo-${Date.now().toString(36)}`,
    TWILIO_ACCOUNT_SID: accountSid,
    TWILIO_AUTH_TOKEN: authToken,
    TWILIO_FROM: '+12025550100',
    TWILIO_API_BASE: network.url,
    TELEGRAM_BOT_TOKEN: botToken,
    TELEGRAM_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
    TELEGRAM_API_ROOT: network.url,
    QUANZU_API_KEYS: `intake:${intakeKey},desk:${deskKey},manager:${managerKey}`,
    POLICY_FILE: path.resolve(__dirname, 'policy.yaml'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const running = await start('all', env);
  const demoUsers = await createDemoUsers(env);

  console.log('• loading sample warnings…');
  const warnings = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'warnings.json'), 'utf8'));
  const res = await fetch(`${appUrl}/api/warnings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${intakeKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ warnings }),
  });
  const body = (await res.json()) as { accepted: number; duplicate: number; rejected: number };
  console.log(`  ${res.status}: ${body.accepted} accepted, ${body.duplicate} duplicate, ${body.rejected} rejected`);

  console.log(`
quanzu demo is running.

  Citizen page (play the citizen):  ${network.url}/
    +8613800138000 gets an SMS (pig-butchering warning), +8613700137000 a call (high risk),
    Telegram chat 5550001 a message with buttons. Reply "我已经转了两万了" or "he says the fee unlocks my withdrawal".
  Desk console (play the dissuader): ${appUrl}/desk/
${demoUsers}
  API (intake key): curl -H "Authorization: Bearer ${intakeKey}" ${appUrl}/api/handoffs  (desk key: ${deskKey})

Press Ctrl+C to stop.`);

  const stop = async () => {
    console.log('\nstopping…');
    await running.stop();
    await network.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Desk and manager logins for the consoles. */
async function createDemoUsers(_env: NodeJS.ProcessEnv): Promise<string> {
  return '    (log in with the desk API key below)';
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
