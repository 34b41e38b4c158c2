// npm run demo: the whole loop on this machine with no credentials. Starts the local phone network and
// the app (web + workers) against Redis and a SQLite file, loads sample warnings, prints where to look.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { start } from '../../server/main';
import { openStore } from '../../server/store/db';
import { insertUser } from '../../server/store/repositories/users';
import { hashPassword } from '../../server/people/passwords';
import { localAppEnv, makeLocalCredentials, startLocalNetwork } from '../local-env';

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
  const creds = makeLocalCredentials();

  console.log('• starting the local phone network (stands in for Twilio and Telegram)…');
  const network = await startLocalNetwork(appUrl, creds, { port: NETWORK_PORT, ringMs: 20000, botUsername: 'quanzu_demo_bot' });

  console.log('• starting quanzu (web + workers)…');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...localAppEnv({ port: APP_PORT, networkUrl: network.url, creds, redisUrl: REDIS_URL, queuePrefix: `quanzu-demo-${Date.now().toString(36)}`, database: { DATABASE_URL: `sqlite://${dbFile}` } }),
    POLICY_FILE: path.resolve(__dirname, 'policy.yaml'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  const running = await start('all', env);
  const demoUsers = await createDemoUsers(env);

  console.log('• loading sample warnings…');
  const warnings = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'warnings.json'), 'utf8'));
  const res = await fetch(`${appUrl}/api/warnings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${creds.keys.intake}`, 'content-type': 'application/json' },
    body: JSON.stringify({ warnings }),
  });
  const body = (await res.json()) as { accepted: number; duplicate: number; rejected: number };
  console.log(`  ${res.status}: ${body.accepted} accepted, ${body.duplicate} duplicate, ${body.rejected} rejected`);

  console.log(`
quanzu demo is running.

  Citizen page (play the citizen):  ${network.url}/
    +8613800138000 gets an SMS (pig-butchering warning), +8613700137000 a call (high risk),
    Telegram chat 5550001 a message with buttons. Reply "我已经转了两万了" or "he says the fee unlocks my withdrawal".
  Desk console (play the dissuader): ${appUrl}/desk/    Managers' console: ${appUrl}/manager/
${demoUsers}
  API: curl -H "Authorization: Bearer ${creds.keys.desk}" ${appUrl}/api/handoffs
       (intake key ${creds.keys.intake} for POST /api/warnings)

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

/** Desk and manager logins for the consoles, with fresh passwords printed once. */
async function createDemoUsers(env: NodeJS.ProcessEnv): Promise<string> {
  const store = await openStore({ url: env.DATABASE_URL!, migrate: false });
  try {
    const lines: string[] = [];
    for (const [username, role] of [['desk', 'desk'], ['manager', 'manager']] as const) {
      const password = randomBytes(9).toString('base64url');
      await insertUser(store.db, { username, role, passwordHash: await hashPassword(password), displayName: role === 'desk' ? 'Demo dissuader' : 'Demo manager' });
      lines.push(`    log in as ${username} / ${password}`);
    }
    return lines.join('\n');
  } finally {
    await store.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
