// npm run demo: the whole loop on this machine with no credentials. Starts the local phone network (with a desk
// phone on it), then the app (web + workers) as a child process against Redis and a fresh SQLite file, printing
// its log readably; loads sample warnings, and holds the high-risk one — a call — until someone opens the citizen
// page, so the first call rings where a newcomer can answer it.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { openStore } from '../../server/store/db';
import { insertUser } from '../../server/store/repositories/users';
import { hashPassword } from '../../server/people/passwords';
import { localAppEnv, makeLocalCredentials, startLocalNetwork } from '../local-env';
import { prettyLine } from './pretty-log';

const ROOT = path.resolve(__dirname, '..', '..');
const APP_PORT = Number(process.env.PORT ?? 3000);
const NETWORK_PORT = Number(process.env.PHONE_NETWORK_PORT ?? 4010);
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The desk's phone on the local network: "Call citizen" rings it, and it is answered on the citizen page. */
const DESK_PHONE = process.env.DEMO_DESK_PHONE ?? '+862160000110';
/** A person plays the citizen: calls ring and prompts wait long enough to read, click and type. */
const RING_MS = 90_000;
const GATHER_MS = 120_000;
/** The held high-risk warning is loaded anyway when nobody opens the citizen page for this long. */
const HOLD_MS = 5 * 60_000;

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

/** Starts `server/main.ts` in its own process; its JSON log comes out as readable lines. */
function startApp(env: NodeJS.ProcessEnv): ChildProcess {
  const app = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server', 'main.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const colour = !!process.stdout.isTTY;
  readline.createInterface({ input: app.stdout! }).on('line', (l) => console.log(`  app ${prettyLine(l, { colour })}`));
  readline.createInterface({ input: app.stderr! }).on('line', (l) => console.error(`  app ${prettyLine(l, { colour })}`));
  return app;
}

async function waitHealthy(appUrl: string, app: ChildProcess): Promise<void> {
  const until = Date.now() + 90_000;
  for (;;) {
    if (app.exitCode !== null) throw new Error(`the app stopped while starting (exit code ${app.exitCode}); its log is above`);
    try {
      if ((await fetch(`${appUrl}/healthz`)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > until) throw new Error(`the app did not answer ${appUrl}/healthz within 90 s`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function postWarnings(appUrl: string, key: string, warnings: unknown[]): Promise<string> {
  const res = await fetch(`${appUrl}/api/warnings`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ warnings }) });
  const body = (await res.json()) as { accepted: number; duplicate: number; rejected: number };
  return `${res.status}: ${body.accepted} accepted, ${body.duplicate} duplicate, ${body.rejected} rejected`;
}

async function main(): Promise<void> {
  await checkRedis();
  const appUrl = `http://127.0.0.1:${APP_PORT}`;
  const dataDir = path.join(ROOT, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const dbFile = path.join(dataDir, `demo-${Date.now()}.sqlite`);
  const databaseUrl = `sqlite://${dbFile}`;
  const creds = makeLocalCredentials();

  console.log('• starting the local phone network (stands in for Twilio and Telegram)…');
  const network = await startLocalNetwork(appUrl, creds, { port: NETWORK_PORT, ringMs: RING_MS, gatherTimeoutMs: GATHER_MS, botUsername: 'quanzu_demo_bot', deskPhones: [DESK_PHONE] });

  console.log('• starting quanzu (web + workers)…');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...localAppEnv({ port: APP_PORT, networkUrl: network.url, creds, redisUrl: REDIS_URL, queuePrefix: `quanzu-demo-${Date.now().toString(36)}`, database: { DATABASE_URL: databaseUrl }, intakeSources: ['demo'] }),
    POLICY_FILE: path.resolve(__dirname, 'policy.yaml'),
    TWILIO_DESK_NUMBER: DESK_PHONE,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  };
  const app = startApp(env);
  running = app;
  let stopping = false;
  app.on('exit', (code) => {
    if (stopping) return;
    console.error(`the app stopped (exit code ${code}); stopping the demo`);
    void network.close().then(() => process.exit(1));
  });
  await waitHealthy(appUrl, app);
  const demoUsers = await createDemoUsers(databaseUrl);

  // The high-risk warning starts with a call: it waits for someone to be on the citizen page to answer it.
  const warnings = JSON.parse(fs.readFileSync(path.resolve(__dirname, 'warnings.json'), 'utf8')) as { riskLevel: string; phone: string }[];
  const held = warnings.filter((w) => w.riskLevel === 'high');
  console.log('• loading sample warnings…');
  console.log(`  ${await postWarnings(appUrl, creds.keys.intake, warnings.filter((w) => w.riskLevel !== 'high'))}`);

  console.log(`
quanzu demo is running.

  Citizen page (play the citizen):  ${network.url}/
    +8613800138000 gets an SMS (pig-butchering warning), Telegram chat 5550001 a message with buttons.
    ${held.map((w) => w.phone).join(', ')} gets a call (high risk) as soon as the citizen page is open.
    Reply "我已经转了两万了" or "he says the fee unlocks my withdrawal".
  Desk console (play the dissuader): ${appUrl}/desk/    Managers' console: ${appUrl}/manager/
${demoUsers}
  The desk phone is ${DESK_PHONE}: after "Call citizen" on the desk, answer it on the citizen page (top of the list).
  Add a person to this demo's database (the desk's "Call citizen" then rings their own phone):
    DATABASE_URL=${databaseUrl} npm run user:add -- --username li.wei --role desk --name 李伟 --phone +8613911112222
  API: curl -H "Authorization: Bearer ${creds.keys.desk}" ${appUrl}/api/handoffs
       (intake key ${creds.keys.intake} for POST /api/warnings with "source": "demo")

Press Ctrl+C to stop.`);

  if (held.length) {
    const release = async (why: string) => {
      network.state.events.off('viewers', onViewers);
      clearTimeout(timer);
      console.log(`• ${why}: loading the high-risk warning (${held.map((w) => w.phone).join(', ')} rings now)…`);
      console.log(`  ${await postWarnings(appUrl, creds.keys.intake, held)}`);
    };
    const onViewers = (n: number) => n > 0 && void release('the citizen page is open');
    const timer = setTimeout(() => void release(`nobody opened the citizen page in ${HOLD_MS / 60_000} minutes`), HOLD_MS);
    timer.unref();
    if (network.state.viewers > 0) void release('the citizen page is open');
    else network.state.events.on('viewers', onViewers);
  }

  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping…');
    app.kill('SIGTERM');
    await new Promise((r) => (app.exitCode !== null ? r(undefined) : app.once('exit', r)));
    await network.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Desk and manager logins for the consoles, with fresh passwords printed once. */
async function createDemoUsers(databaseUrl: string): Promise<string> {
  const store = await openStore({ url: databaseUrl, migrate: false });
  try {
    const lines: string[] = [];
    for (const [username, role, name] of [
      ['desk', 'desk', '演示劝阻员'],
      ['manager', 'manager', '演示主管'],
    ] as const) {
      const password = randomBytes(9).toString('base64url');
      await insertUser(store.db, { username, role, passwordHash: await hashPassword(password), displayName: name });
      lines.push(`    log in as ${username} / ${password}`);
    }
    return lines.join('\n');
  } finally {
    await store.close();
  }
}

/** The app's process, stopped with the demo when starting fails. */
let running: ChildProcess | undefined;

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  running?.kill('SIGTERM');
  process.exit(1);
});
