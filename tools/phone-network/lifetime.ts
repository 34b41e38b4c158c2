// Everything the network schedules (ring timers, gather timeouts, retries, held requests) is owned by one
// Lifetime so close() can stop it all and the process (or jest worker) exits cleanly.

export class NetworkClosedError extends Error {
  constructor() {
    super('the local phone network was closed');
    this.name = 'NetworkClosedError';
  }
}

export class Lifetime {
  private closed = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly cancellers = new Set<() => void>();
  readonly abort = new AbortController();

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves after ms; rejects with NetworkClosedError if the network closes first. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new NetworkClosedError());
      const cancel = (): void => {
        clearTimeout(timer);
        reject(new NetworkClosedError());
      };
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.cancellers.delete(cancel);
        resolve();
      }, ms);
      this.timers.add(timer);
      this.cancellers.add(cancel);
    });
  }

  /** Register a cleanup to run on close; returns a function that unregisters it. */
  onClose(fn: () => void): () => void {
    this.cancellers.add(fn);
    return () => this.cancellers.delete(fn);
  }

  /** Run a background task; a NetworkClosedError ends it quietly, anything else is reported. */
  spawn(task: () => Promise<void>, onError: (e: unknown) => void): void {
    task().catch((e) => {
      if (!(e instanceof NetworkClosedError) && !this.closed) onError(e);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.abort.abort();
    for (const cancel of [...this.cancellers]) cancel();
    this.cancellers.clear();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}
