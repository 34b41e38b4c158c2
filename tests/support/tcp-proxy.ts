// A TCP proxy on loopback in front of a real server (PostgreSQL, Redis), for faults no real server makes
// on demand: `hang()` keeps every connection open but passes nothing (a server that stopped answering,
// a network partition), `refuse()` drops every connection and refuses new ones (a server that is down).
import net from 'node:net';

export interface TcpProxy {
  port: number;
  url(template: string): string;
  hang(): void;
  refuse(): void;
  /** Back to passing bytes through; connections that hung resume where they were. Healing a healthy proxy changes nothing. */
  heal(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'pass' | 'hang' | 'refuse' = 'pass';
  // `flowing` is whether the pair's pipes are attached: piping a pair twice would deliver every byte twice.
  type Pair = { client: net.Socket; upstream: net.Socket; flowing: boolean };
  const pairs = new Set<Pair>();
  const stop = (pair: Pair) => {
    if (pair.flowing) {
      pair.client.unpipe(pair.upstream);
      pair.upstream.unpipe(pair.client);
      pair.flowing = false;
    }
    pair.client.pause();
    pair.upstream.pause();
  };
  const flow = (pair: Pair) => {
    if (!pair.flowing) {
      pair.client.pipe(pair.upstream);
      pair.upstream.pipe(pair.client);
      pair.flowing = true;
    }
    pair.client.resume();
    pair.upstream.resume();
  };
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(target);
    const pair: Pair = { client, upstream, flowing: false };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    if (mode === 'hang') stop(pair);
    else flow(pair);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const each = (fn: (p: Pair) => void) => [...pairs].forEach(fn);
  return {
    port,
    url: (template) => template.replace(`:${target.port}`, `:${port}`),
    hang() {
      mode = 'hang';
      each(stop);
    },
    refuse() {
      mode = 'refuse';
      each(({ client, upstream }) => {
        client.destroy();
        upstream.destroy();
      });
    },
    heal() {
      mode = 'pass';
      each(flow);
    },
    async close() {
      mode = 'refuse';
      each(({ client, upstream }) => {
        client.destroy();
        upstream.destroy();
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
