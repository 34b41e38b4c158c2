// Redis connections for bull, created by us (ioredis 6) so we control and close them.
import { Redis } from 'ioredis';

export interface RedisConnections {
  /** A shared command connection (bull's 'client' and our own commands). */
  client: Redis;
  /** Makes a connection for a bull queue; bull asks for 'subscriber' and 'bclient' per queue. */
  create(type: 'client' | 'subscriber' | 'bclient'): Redis;
  close(): Promise<void>;
}

/** `onError` hears every connection error (they reconnect on their own); default: nothing is said. */
export function connectRedis(url: string, opts: { onError?: (err: Error) => void } = {}): RedisConnections {
  const opened: Redis[] = [];
  const make = (blocking: boolean): Redis => {
    const r = new Redis(url, {
      // bull requires these on its subscriber and blocking connections, or it throws uncatchably.
      maxRetriesPerRequest: blocking ? null : 20,
      enableReadyCheck: !blocking,
      retryStrategy: (times) => Math.min(times * 200, 2000),
      lazyConnect: false,
    });
    // Reconnects on its own; callers see failures through their commands, operators through onError.
    r.on('error', (err: Error) => opts.onError?.(err));
    opened.push(r);
    return r;
  };
  // bull's client connection also runs blocking-sensitive scripts; null retries keeps it alive across restarts.
  const client = make(true);
  return {
    client,
    create: (type) => (type === 'client' ? client : make(true)),
    async close() {
      await Promise.all(
        opened.map(async (r) => {
          try {
            await r.quit();
          } catch {
            r.disconnect();
          }
        }),
      );
    },
  };
}
