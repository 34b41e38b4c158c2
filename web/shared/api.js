// @ts-check
// API calls from the consoles: the session's CSRF token on every write, JSON in and out, the server's
// stable error ids kept on the error (shared/i18n.js turns them into words), and writes that carry an
// Idempotency-Key so a retry never does the same thing twice.

let csrfToken = /** @type {string | null} */ (null);
/** @param {string | null} token */
export const setCsrfToken = (token) => void (csrfToken = token);

export class ApiError extends Error {
  /**
   * @param {number} status HTTP status; 0 when the server could not be reached
   * @param {string} id the server's stable error id ("conflict", "validation_error"…), or "network"
   * @param {string} message the server's own words (English), kept for the details
   */
  constructor(status, id, message) {
    super(message);
    this.status = status;
    this.id = id;
  }
}

export function toLogin() {
  location.href = '/login?next=' + encodeURIComponent(location.pathname + location.search + location.hash);
}

/** A v4 UUID; crypto.randomUUID needs a secure context, which a desk on a plain-http intranet may not have. */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function' && window.isSecureContext) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * @typedef {object} ApiOptions
 * @property {string} [method]
 * @property {unknown} [body]
 * @property {string} [idempotencyKey] one user action's key: sent as Idempotency-Key, and the request is retried with it when the network or a gateway fails
 * @property {boolean} [allow401] a 401 is the caller's to handle (no redirect to the login page)
 * @property {() => void} [onRetry] told before each retry
 */

const RETRY_DELAYS_MS = [400, 1500];
/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * @param {string} path
 * @param {ApiOptions} [opts]
 * @returns {Promise<any>}
 */
export async function api(path, opts = {}) {
  const method = opts.method || 'GET';
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.idempotencyKey) headers['Idempotency-Key'] = opts.idempotencyKey;
  const attempts = opts.idempotencyKey ? RETRY_DELAYS_MS.length + 1 : 1;
  for (let attempt = 1; ; attempt++) {
    let res;
    try {
      res = await fetch(path, { method, headers, credentials: 'same-origin', body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    } catch {
      if (attempt < attempts) {
        opts.onRetry?.();
        await sleep(RETRY_DELAYS_MS[attempt - 1]);
        continue;
      }
      throw new ApiError(0, 'network', 'the server cannot be reached');
    }
    if ([502, 503, 504].includes(res.status) && attempt < attempts) {
      opts.onRetry?.();
      await sleep(RETRY_DELAYS_MS[attempt - 1]);
      continue;
    }
    if (res.status === 401 && !opts.allow401) {
      toLogin();
      throw new ApiError(401, 'authentication_required', 'signed out');
    }
    if (res.status === 204) return null;
    const type = res.headers.get('content-type') || '';
    const body = type.includes('json') ? await res.json().catch(() => null) : await res.text();
    if (!res.ok) {
      const b = body && typeof body === 'object' ? body : {};
      throw new ApiError(res.status, typeof b.error === 'string' ? b.error : 'unknown', typeof b.message === 'string' ? b.message : `request failed (${res.status})`);
    }
    return body;
  }
}
