// A PORT someone else already holds fails the start with a message naming it. Before, express 5 handed the
// bind error to the listen callback, the start "succeeded", and the process served nothing while another
// program answered on its port.
import net from 'node:net';
import { start, type Running } from '../../server/main';
import { ListenError } from '../../server/http/listen';
import { deleteRedisPrefix, prepareLocalRun, type LocalRun } from '../support/stack';

jest.setTimeout(60_000);

describe('starting on a port that is taken', () => {
  let run: LocalRun;
  let holder: net.Server;
  let app: Running | undefined;
  beforeAll(async () => {
    run = await prepareLocalRun({ env: { LOG_LEVEL: 'silent' } });
    holder = net.createServer((socket) => socket.end('HTTP/1.1 418 Not quanzu\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
    await new Promise<void>((resolve) => holder.listen(run.port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await app?.stop();
    await new Promise((resolve) => holder.close(resolve));
    await run.network.close();
    await deleteRedisPrefix(run.prefix);
    await run.db.cleanup();
  });

  it('refuses to start, naming the address, and starts once the port is free', async () => {
    const failed = await start('web', run.env).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failed).toBeInstanceOf(ListenError);
    expect((failed as ListenError).message).toBe(`cannot listen on 127.0.0.1:${run.port}: the port is already in use (another quanzu, or another program; set PORT)`);

    await new Promise((resolve) => holder.close(resolve));
    app = await start('web', run.env);
    const health = await fetch(`${run.appUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
  });
});
