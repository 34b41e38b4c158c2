// SQLite's WAL is checkpointed from a thread of its own. Left to SQLite, the automatic checkpoint runs inside
// whichever COMMIT crosses 1,000 pages of log, on the thread that answers webhooks: 25–30 ms stalls in a
// profile of the bench (docs/performance.md). Here the main connection never checkpoints
// (wal_autocheckpoint = 0) and a worker thread, on its own connection, copies the log back every few hundred
// milliseconds (PASSIVE: it never blocks a writer or a reader). Should the thread die, the main connection
// checkpoints automatically again, so the log cannot grow without bound.
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

const EVERY_MS = 250;

const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const tick = () => { try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage(String(err)); } };
const timer = setInterval(tick, workerData.everyMs);
parentPort.on('message', (m) => { if (m === 'stop') { clearInterval(timer); tick(); db.close(); process.exit(0); } });
`;

export interface WalCheckpointer {
  stop(): Promise<void>;
}

export function startWalCheckpointer(sqlite: BetterSqlite3.Database, file: string, onError: (message: string) => void = () => {}): WalCheckpointer {
  const worker = new Worker(THREAD, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3'), everyMs: EVERY_MS } });
  worker.unref();
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopped = false;
  let exited = false;
  worker.on('message', (m: string) => onError(m));
  const fallBack = () => {
    if (!stopped && sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  };
  worker.on('error', (err) => {
    onError(String(err));
    fallBack();
  });
  worker.on('exit', () => {
    exited = true;
    fallBack();
  });
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        if (stopped || exited) return resolve();
        stopped = true;
        worker.once('exit', () => resolve());
        // Unreferenced, the thread would let the process end before the last checkpoint and the exit arrive.
        worker.ref();
        worker.postMessage('stop');
      }),
  };
}
