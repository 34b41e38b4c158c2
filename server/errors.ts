// Error types say who failed; one middleware turns them into responses.
import type { ErrorRequestHandler } from 'express';
import type { Logger } from 'pino';

/** A client-visible error with a stable id and HTTP status. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super(400, 'validation_error', message, details);
  }
}
export class AuthenticationError extends AppError {
  constructor(message = 'authentication required: send Authorization: Bearer <api key>') {
    super(401, 'authentication_required', message);
  }
}
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super(404, 'not_found', message);
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super(409, 'conflict', message);
  }
}
/** A forged or unverifiable provider callback. */
export class WebhookSignatureError extends AppError {
  constructor(message: string) {
    super(403, 'invalid_signature', message);
  }
}

/** A job that must not be retried: its payload is malformed or its target no longer exists. */
export class UnrecoverableJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnrecoverableJobError';
  }
}

/** Formats zod issues as "field.path: message" lines. */
export function describeZodIssues(issues: { path: PropertyKey[]; message: string }[]): string {
  return issues
    .slice(0, 20)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/** A dependency (the database, Redis) did not answer in time or is down: worth retrying shortly. */
export class ServiceUnavailableError extends AppError {
  constructor(
    id: 'dependency_timeout' | 'database_unavailable' | 'redis_unavailable',
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(503, id, message);
  }
}

const PG_UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300']);

/** Connection failures of the database or Redis, as a 503 the caller may retry; anything else stays an internal error. */
export function asDependencyFailure(err: unknown): ServiceUnavailableError | undefined {
  const e = err as { code?: unknown; name?: unknown; message?: unknown } | null;
  const message = typeof e?.message === 'string' ? e.message : '';
  const code = typeof e?.code === 'string' ? e.code : '';
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED')
    return new ServiceUnavailableError('database_unavailable', 'the database is busy: retry in a few seconds', 2);
  if (e?.name === 'MaxRetriesPerRequestError' || /^(Connection is closed|Command timed out|Stream isn't writeable)/.test(message))
    return new ServiceUnavailableError('redis_unavailable', 'Redis is not answering: retry in a few seconds', 5);
  if (PG_UNAVAILABLE.has(code) || /timeout exceeded when trying to connect|Connection terminated/.test(message))
    return new ServiceUnavailableError('database_unavailable', 'the database is not answering: retry in a few seconds', 5);
  return undefined;
}

/** What a client sees for an error: status, stable id and message; unknown errors say nothing more. */
export function errorResponse(err: unknown): { status: number; body: Record<string, unknown>; retryAfterSeconds?: number; unexpected: boolean } {
  const dependency = err instanceof AppError ? undefined : asDependencyFailure(err);
  const known = err instanceof AppError ? err : dependency;
  if (known) {
    const retry = known instanceof ServiceUnavailableError ? known.retryAfterSeconds : undefined;
    return { status: known.status, body: { error: known.id, message: known.message, ...(known.details ? { details: known.details } : {}) }, retryAfterSeconds: retry, unexpected: !!dependency };
  }
  // body-parser errors carry a status and a type; they are the client's fault.
  const e = err as { status?: unknown; statusCode?: unknown; type?: unknown; message?: unknown } | null;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : 500;
  if (status >= 400 && status < 500) {
    const byType: Record<string, [string, string]> = {
      'entity.parse.failed': ['malformed_body', 'request body is not valid JSON'],
      'entity.too.large': ['body_too_large', `request body is larger than the limit`],
      'encoding.unsupported': ['unsupported_encoding', 'request body encoding is not supported'],
      'charset.unsupported': ['unsupported_charset', 'request body charset is not supported'],
      'request.aborted': ['request_aborted', 'request was aborted'],
    };
    const [id, message] = byType[String(e?.type)] ?? ['bad_request', String(e?.message ?? 'bad request').slice(0, 200)];
    return { status, body: { error: id, message }, unexpected: false };
  }
  return { status: 500, body: { error: 'internal_error', message: 'internal error; it has been logged' }, unexpected: true };
}

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    // The deadline answered already; the handler's own late answer has nowhere to go.
    if (res.locals.deadlinePassed && (err as { code?: string })?.code === 'ERR_HTTP_HEADERS_SENT') return;
    const r = errorResponse(err);
    if (r.unexpected) log.error({ err, reqId: req.id, method: req.method, path: req.path, ...(res.headersSent ? { afterAnswer: true } : {}) }, r.status === 503 ? 'dependency failed' : 'unhandled error');
    if (res.headersSent) return;
    if (r.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(r.retryAfterSeconds));
    res.status(r.status).json(r.body);
  };
}
