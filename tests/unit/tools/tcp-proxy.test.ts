// The fault proxy the bounded-wait suites put in front of Redis and PostgreSQL must pass each byte once,
// whatever order hang and heal come in: a CI run failed when a second heal piped every connection twice and
// Redis's replies arrived doubled (ioredis matched a nil reply to no command and threw).
import net from 'node:net';
import { tcpProxy, type TcpProxy } from '../../support/tcp-proxy';

/** An echo server on loopback. */
async function echoServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      sockets.forEach((s) => s.destroy());
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Connects through the proxy and collects what comes back. */
async function connect(proxy: TcpProxy) {
  const socket = net.connect(proxy.port, '127.0.0.1');
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  let received = '';
  socket.on('data', (d) => (received += d.toString()));
  return {
    send: (text: string) => socket.write(text),
    /** What arrived once `expected` bytes have, plus a short while for any extra bytes to show. */
    async receive(expected: number): Promise<string> {
      const until = Date.now() + 5_000;
      while (received.length < expected && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100));
      return received;
    },
    close: () => socket.destroy(),
  };
}

describe('the fault proxy', () => {
  let echo: Awaited<ReturnType<typeof echoServer>>;
  let proxy: TcpProxy;
  beforeEach(async () => {
    echo = await echoServer();
    proxy = await tcpProxy({ host: '127.0.0.1', port: echo.port });
  });
  afterEach(async () => {
    await proxy.close();
    await echo.close();
  });

  it('passes each byte once after a heal it did not need', async () => {
    const c = await connect(proxy);
    proxy.heal();
    proxy.heal();
    c.send('ping');
    expect(await c.receive(4)).toBe('ping');
    c.close();
  });

  it('holds bytes while hung and delivers them once on heal, however often heal is called', async () => {
    const c = await connect(proxy);
    proxy.hang();
    c.send('held');
    await new Promise((r) => setTimeout(r, 100));
    proxy.heal();
    proxy.heal();
    expect(await c.receive(4)).toBe('held');
    c.send('-again');
    expect(await c.receive(10)).toBe('held-again');
    c.close();
  });

  it('passes a connection opened while hung once healed, once', async () => {
    proxy.hang();
    const c = await connect(proxy);
    c.send('late');
    proxy.heal();
    expect(await c.receive(4)).toBe('late');
    c.close();
  });
});
