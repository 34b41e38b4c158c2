// Entry: `npm start` runs web and workers in one process; `--role web` / `--role worker` run them apart.
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import { loadConfig, ConfigError } from './config';
import { createLogger } from './log';
import { createRuntime } from './bootstrap';
import { startWorkers, type Workers } from './jobs/workers';

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
  stop(): Promise<void>;
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
  const runtime = await createRuntime(config, log, { listenForEvents: role !== 'worker', classifies: role !== 'worker' });
  const s = runtime.services;
  let server: Server | undefined;
  let workers: Workers | undefined;
  let port = config.port;

  if (role !== 'worker') {
    // Imported here: a worker never loads the HTTP edge (routes, webhooks, consoles).
    const { createApp } = await import('./http/app');
    const { TELEGRAM_WEBHOOK_PATH } = await import('./webhooks/telegram');
    const app = createApp(s);
    server = await new Promise<Server>((resolve, reject) => {
      const srv = app.listen(config.port, config.host, () => resolve(srv));
      srv.once('error', reject);
    });
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
    const ops = createOpsApp(s);
    server = await new Promise<Server>((resolve, reject) => {
      const srv = ops.listen(metricsPort, config.host, () => resolve(srv));
      srv.once('error', reject);
    });
    const addr = server.address();
    port = typeof addr === 'object' && addr ? addr.port : metricsPort;
    log.info({ port, role }, 'quanzu worker metrics listening');
  }

  let stopping: Promise<void> | undefined;
  return {
    port,
    stop: () =>
      (stopping ??= (async () => {
        // Stop taking new requests, let in-flight webhooks finish, then let active jobs finish.
        if (server) await new Promise<void>((resolve) => server!.close(() => resolve()));
        if (s.telegramBot && !config.publicUrl) s.telegramBot.stop('shutdown');
        if (workers) await workers.stop();
        await runtime.close();
      })()),
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
      const shutdown = (signal: string) => {
        console.error(`${signal}: draining…`);
        running.stop().then(
          () => process.exit(0),
          (err) => {
            console.error(err);
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
    },
    (err) => {
      if (err instanceof ConfigError) {
        console.error(err.message);
        process.exit(78);
      }
      console.error(err);
      process.exit(1);
    },
  );
}
