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

export function errorMiddleware(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) return;
    if (err instanceof AppError) {
      res.status(err.status).json({ error: err.id, message: err.message, ...(err.details ? { details: err.details } : {}) });
      return;
    }
    // body-parser errors carry a status and a type; they are the client's fault.
    const status = typeof err?.status === 'number' ? err.status : typeof err?.statusCode === 'number' ? err.statusCode : 500;
    if (status >= 400 && status < 500) {
      const byType: Record<string, [string, string]> = {
        'entity.parse.failed': ['malformed_body', 'request body is not valid JSON'],
        'entity.too.large': ['body_too_large', `request body is larger than the limit`],
        'encoding.unsupported': ['unsupported_encoding', 'request body encoding is not supported'],
        'charset.unsupported': ['unsupported_charset', 'request body charset is not supported'],
        'request.aborted': ['request_aborted', 'request was aborted'],
      };
      const [id, message] = byType[err?.type] ?? ['bad_request', String(err?.message ?? 'bad request').slice(0, 200)];
      res.status(status).json({ error: id, message });
      return;
    }
    log.error({ err, reqId: req.id, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json({ error: 'internal_error', message: 'internal error; it has been logged' });
  };
}
