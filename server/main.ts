// Entry: `npm start` runs web and workers in one process; `--role web` / `--role worker` run them apart.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './log';
import { createRuntime } from './bootstrap';
import { startWorkers, type Workers } from './jobs/workers';
import { Readiness } from './http/routes/health';
import { listenOn, ListenError } from './http/listen';
import { STREAMS_END } from './events';

export type Role = 'web' | 'worker' | 'all';

export function parseRole(argv: string[]): Role {
  const i = argv.indexOf('--role');
  const value = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--role='))?.slice(7);
  if (value === undefined) return 'all';
  if (value === 'web' || value === 'worker' || value === 'all') return value;
  throw new Error(`--role must be web, worker or all; got "${value}"`);
}

export interface Running {
  port: number;
  /** Readiness fails at once; after SHUTDOWN_DRAIN_MS the server stops listening, event streams end, and
   * connections still open SHUTDOWN_TIMEOUT_MS later are cut; active jobs get the same deadline. */
  stop(): Promise<void>;
  /** The longest stop() may take before the process should give up on it (drain + timeout + closing). */
  hardBoundMs: number;
}

/** After the deadline: time for Redis and the database to close before the process gives up on them. */
const CLOSE_GRACE_MS = 5000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves when p settles or after ms, whichever is first (never rejects): for a shutdown that must go on. */
async function within(p: Promise<unknown>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([p.then(() => 'done' as const, () => 'done' as const), late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface StartOptions {
  /** A logger of the caller's (tests read what operators would see); default JSON lines on stdout at LOG_LEVEL. */
  log?: Logger;
}

export async function start(role: Role, env: NodeJS.ProcessEnv = process.env, opts: StartOptions = {}): Promise<Running> {
  const config = loadConfig(env);
  const log = opts.log ?? createLogger(config.logLevel);
  if (config.apiKeys.some((k) => k.role === 'intake' && !k.sources))
    log.warn('an intake key in QUANZU_API_KEYS is not bound to its sources: write intake@<source>|<source>:<key> so it can post and read back only its own warnings');
  // A web process answers replies with the next prompt, so it classifies; a worker never does.
  const runtime = await createRuntime(config, log, { listenForEvents: role !== 'worker', classifies: role !== 'worker' });
  const s = runtime.services;
  let server: Server | undefined;
  let workers: Workers | undefined;
  // A start that fails half-way leaves no connection, worker or timer behind.
  const closeAndThrow = async (err: unknown): Promise<never> => {
    await workers?.stop().catch(() => undefined);
    await runtime.close().catch(() => undefined);
    throw err;
  };
  let port = config.port;
  const readiness = new Readiness();

  if (role !== 'worker') {
    // Imported here: a worker never loads the HTTP edge (routes, webhooks, consoles).
    const { createApp } = await import('./http/app');
    const { TELEGRAM_WEBHOOK_PATH } = await import('./webhooks/telegram');
    const app = createApp(s, { readiness });
    server = await listenOn(app, config.port, config.host).catch(closeAndThrow);
    const addr = server.address();
    port = typeof addr === 'object' && addr ? addr.port : config.port;
    if (!config.publicUrl) s.callbackBase = `http://127.0.0.1:${port}`;
    if (s.telegramBot) {
      if (config.publicUrl) {
        await s.telegramBot.telegram.setWebhook(`${config.publicUrl}${TELEGRAM_WEBHOOK_PATH}`, { secret_token: config.telegram.webhookSecret, allowed_updates: ['message', 'callback_query'] });
      } else {
        // Development without a public URL: long polling.
        void s.telegramBot.launch().catch((err) => log.error({ err: (err as Error).message }, 'telegram polling stopped'));
      }
    }
    log.info({ port, role }, 'quanzu web listening');
  }
  if (role !== 'web') {
    workers = startWorkers(s, { sweepEveryMs: config.outboxSweepMs });
    log.info({ role }, 'quanzu workers started');
  }
  const metricsPort = config.workerMetricsPort;
  if (role === 'worker' && metricsPort !== undefined) {
    // A worker's job timings exist only in its own process: it serves its own health and metrics.
    const { createOpsApp } = await import('./http/ops-app');
    const ops = createOpsApp(s, { readiness });
    server = await listenOn(ops, metricsPort, config.host).catch(closeAndThrow);
    const addr = server.address();
    port = typeof addr === 'object' && addr ? addr.port : metricsPort;
    log.info({ port, role }, 'quanzu worker metrics listening');
  }

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    readiness.shuttingDown = true;
    log.info({ drainMs: config.shutdownDrainMs, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    // Still answering while the load balancer sees readiness fail and sends new work elsewhere.
    if (server && config.shutdownDrainMs > 0) await sleep(config.shutdownDrainMs);
    const deadline = Date.now() + config.shutdownTimeoutMs;
    if (server) {
      const srv = server;
      const closed = new Promise<void>((resolve) => srv.close(() => resolve()));
      // Event streams never end by themselves: tell them, then idle keep-alive connections go.
      s.events.emit(STREAMS_END);
      srv.closeIdleConnections();
      if ((await within(closed, config.shutdownTimeoutMs)) === 'timeout') {
        log.warn('requests still open at the shutdown deadline: closing their connections');
        srv.closeAllConnections();
        await closed;
      }
    }
    if (s.telegramBot && !config.publicUrl) s.telegramBot.stop('shutdown');
    // Active jobs finish (queued ones stay in Redis for another worker), within what is left of the deadline.
    if (workers && (await within(workers.stop(), Math.max(0, deadline - Date.now()))) === 'timeout') log.warn('jobs still active at the shutdown deadline: leaving them to another worker');
    await runtime.close();
    log.info('stopped');
  };
  return {
    port,
    hardBoundMs: config.shutdownDrainMs + config.shutdownTimeoutMs + CLOSE_GRACE_MS,
    stop: () => (stopping ??= stop()),
  };
}

if (require.main === module) {
  let role: Role;
  try {
    role = parseRole(process.argv.slice(2));
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  start(role).then(
    (running) => {
      let signalled = false;
      const shutdown = (signal: string) => {
        if (signalled) {
          console.error(`${signal} again: exiting now`);
          process.exit(1);
        }
        signalled = true;
        console.error(`${signal}: draining…`);
        // Connections being closed reject whatever was waiting on them (bull's processors among them):
        // said, not fatal, so the requests and jobs still finishing are not cut short by a crash.
        process.on('unhandledRejection', (err) => console.error(`during shutdown: ${(err as Error)?.message ?? String(err)}`));
        // The hard bound: whatever hangs (a dependency that stopped answering), the process ends.
        setTimeout(() => {
          console.error(`shutdown did not finish within ${running.hardBoundMs} ms: exiting`);
          process.exit(1);
        }, running.hardBoundMs).unref();
        running.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    },
    (err) => {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(78);
      }
      if (err instanceof ListenError) {
        console.error(err.message);
        process.exit(1);
      }
      console.error(err);
      process.exit(1);
    },
  );
}
