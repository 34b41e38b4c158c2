// A Redis server of the test's own (never the shared one on 6379), with the append-only file on, so
// it can be killed and restarted with what it had written.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort } from '../support/stack';

export interface OwnRedis {
  url: string;
  start(): Promise<void>;
  /** SIGKILL: no shutdown save; only what the append-only file holds survives. */
  kill(): Promise<void>;
  /** Copies what Redis holds now, as a lagging replica or last night's backup would hold it. */
  snapshot(): Promise<string>;
  /** Kills Redis and starts it again from a snapshot: every write since is gone (a failover to a stale copy). */
  restore(snapshotDir: string): Promise<void>;
  /** The server's pid while it runs (SIGSTOP makes it unresponsive without closing connections). */
  pid(): number | undefined;
  cleanup(): Promise<void>;
}

export async function ownRedis(): Promise<OwnRedis> {
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-redis-'));
  let proc: ChildProcess | undefined;
  const snapshots: string[] = [];
  const url = `redis://127.0.0.1:${port}`;
  const self: OwnRedis = {
    url,
    async start() {
      if (proc && proc.exitCode === null && proc.signalCode === null) return;
      proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', ''], { stdio: 'ignore' });
      const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      probe.on('error', () => undefined);
      for (let i = 0; ; i++) {
        try {
          await probe.connect();
          await probe.ping();
          probe.disconnect();
          return;
        } catch {
          if (i > 50) throw new Error(`redis-server on ${port} did not start`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    },
    async kill() {
      if (!proc || proc.exitCode !== null) return;
      const exited = new Promise((r) => proc!.once('exit', r));
      proc.kill('SIGKILL');
      await exited;
    },
    async snapshot() {
      const r = new Redis(url, { maxRetriesPerRequest: 2 });
      try {
        await r.call('SAVE');
      } finally {
        r.disconnect();
      }
      // The append-only file is flushed every second: wait for it, so the copy holds the snapshot's moment.
      await new Promise((res) => setTimeout(res, 1200));
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-redis-copy-'));
      fs.cpSync(dir, copy, { recursive: true });
      snapshots.push(copy);
      return copy;
    },
    async restore(snapshotDir) {
      await self.kill();
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
      fs.cpSync(snapshotDir, dir, { recursive: true });
      await self.start();
    },
    pid: () => (proc && proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined),
    async cleanup() {
      await self.kill();
      fs.rmSync(dir, { recursive: true, force: true });
      for (const copy of snapshots) fs.rmSync(copy, { recursive: true, force: true });
    },
  };
  await self.start();
  return self;
}
