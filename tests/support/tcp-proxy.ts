// A TCP proxy on loopback in front of a real server (PostgreSQL, Redis), for faults no real server makes
// on demand: `hang()` keeps every connection open but passes nothing (a server that stopped answering,
// a network partition), `refuse()` drops every connection and refuses new ones (a server that is down).
import net from 'node:net';

export interface TcpProxy {
  port: number;
  url(template: string): string;
  hang(): void;
  refuse(): void;
  /** Back to passing bytes through; connections that hung resume where they were. */
  heal(): void;
  close(): Promise<void>;
}

export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let mode: 'pass' | 'hang' | 'refuse' = 'pass';
  const pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  const server = net.createServer((client) => {
    if (mode === 'refuse') return client.destroy();
    const upstream = net.connect(target);
    const pair = { client, upstream };
    pairs.add(pair);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.pipe(client);
    if (mode === 'hang') {
      client.pause();
      upstream.pause();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const each = (fn: (p: { client: net.Socket; upstream: net.Socket }) => void) => [...pairs].forEach(fn);
  return {
    port,
    url: (template) => template.replace(`:${target.port}`, `:${port}`),
    hang() {
      mode = 'hang';
      each(({ client, upstream }) => {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      });
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
      each(({ client, upstream }) => {
        client.pipe(upstream);
        upstream.pipe(client);
        client.resume();
        upstream.resume();
      });
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
