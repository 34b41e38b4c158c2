// Load-generation helpers: a keep-alive HTTP client that costs little CPU, percentiles, pacing.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface HttpResult {
  status: number;
  body: string;
  ms: number;
}

export function httpClient(baseUrl: string, maxSockets = 64) {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<HttpResult> {
      const data = Buffer.from(JSON.stringify(body));
      const t0 = performance.now();
      return new Promise<HttpResult>((resolve, reject) => send(resolve, reject, true));

      function send(resolve: (r: HttpResult) => void, reject: (e: Error) => void, mayRetry: boolean): void {
        const req = http.request(
          { host: url.hostname, port: url.port, path, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(data.length), ...headers } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), ms: performance.now() - t0 }));
            res.on('error', reject);
          },
        );
        // A kept-alive socket the server closed as idle just as this request went out: the request never
        // reached the app, so sending it again on a fresh socket is safe (Node's documented remedy).
        req.on('error', (err: NodeJS.ErrnoException) => {
          if (mayRetry && req.reusedSocket && err.code === 'ECONNRESET') send(resolve, reject, false);
          else reject(err);
        });
        req.end(data);
      }
    },
    close: () => agent.destroy(),
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

export const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight. */
export async function withConcurrency(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, n) }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
}

/** Starts `task(i)` at a fixed rate (open loop: a slow answer does not slow the arrivals). */
export async function atRate(n: number, perSecond: number, task: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / perSecond;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    pending.push(task(i));
  }
  await Promise.all(pending);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until fn() is true or the deadline passes; returns whether it became true. */
export async function until(fn: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await fn()) return true;
    await sleep(everyMs);
  }
  return fn();
}
