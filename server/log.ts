// One logger; phone numbers never reach the log in full, at any depth, and secrets never at all.
import pino, { type Logger } from 'pino';
import { maskDeep, maskNumbersIn, maskPhone, maskPhonesIn } from './masking';

/** Kept for callers that import masking from here; the policy lives in ./masking. */
export { maskNumbersIn, maskPhone, maskPhonesIn };

/** Fields that hold credentials wherever a record carries them (request headers, config, bodies). */
const SECRETS = [
  'password',
  'authorization',
  'cookie',
  'token',
  'authToken',
  'botToken',
  'webhookSecret',
  'csrfToken',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'headers["x-twilio-signature"]',
  'headers["x-telegram-bot-api-secret-token"]',
  '*.password',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.authToken',
  '*.botToken',
  '*.webhookSecret',
];

export function createLogger(level = process.env.LOG_LEVEL ?? 'info', destination?: pino.DestinationStream): Logger {
  const logger = pino(
    {
      level,
      base: { app: 'quanzu' },
      redact: { paths: SECRETS, censor: '[redacted]' },
      // formatters.log runs before the serializers: it masks every nested value, errors included.
      formatters: {
        log: (object) => maskDeep(object) as Record<string, unknown>,
      },
      serializers: {
        err: (e: unknown) => maskDeep(e),
        // The message, including one pino takes from an error logged on its own.
        msg: (m: unknown) => (typeof m === 'string' ? maskNumbersIn(m) : m),
      },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((a) => (typeof a === 'string' ? maskNumbersIn(a) : a)) as typeof args;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
  // pino gives a child's bindings no formatter: mask them when the child is made (children inherit this).
  const child = logger.child as unknown as (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) => Logger;
  logger.child = function (this: Logger, bindings: pino.Bindings, options?: pino.ChildLoggerOptions) {
    return child.call(this, maskDeep(bindings) as pino.Bindings, options);
  } as unknown as Logger['child'];
  return logger;
}

/**
 * An 'error' listener for a connection that reconnects on its own (Redis, a PostgreSQL pool): the first
 * error is logged at once, later ones at most once per `everyMs` with how many were left out, so an
 * outage is visible without flooding the log.
 */
export function connectionErrorLogger(log: Logger, what: string, everyMs = 30_000): (err: unknown) => void {
  let lastAt = 0;
  let skipped = 0;
  return (err) => {
    const now = Date.now();
    if (now - lastAt < everyMs) {
      skipped += 1;
      return;
    }
    log.warn({ err, dependency: what, ...(skipped ? { skipped } : {}) }, `${what} connection error`);
    lastAt = now;
    skipped = 0;
  };
}
