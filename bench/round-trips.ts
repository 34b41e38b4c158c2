// `npx tsx bench/round-trips.ts [--pg] [--time]` — how many database statements (on PostgreSQL: round trips) the
// intake route costs per warning: warnings posted one at a time (each alone in its transaction), posted
// concurrently (group commit shares transactions), in one batch request, and repeat warnings (a person whose case
// is open). Counted in this process at the driver (pg's Client#query; better-sqlite3's Statement#run/get/all/
// iterate), BEGIN and COMMIT included.
// The web role runs in-process with no workers, so nothing else uses the database meanwhile. Then a second
// stack runs every role in-process and counts the whole send: intake, the first decision, the outbox relay,
// the provider request and the SMS's status callbacks, until each warning's SMS is delivered and settled.
// --time (SQLite): also the time spent inside SQLite per warning, and the statements that cost most.
import { createRequire } from 'node:module';
import path from 'node:path';
import { start } from '../server/main';
import { postgresDatabase, sqliteDatabase } from '../tests/support/databases';
import { prepareLocalRun, deleteRedisPrefix } from '../tests/support/stack';
import { httpClient, withConcurrency } from './load';

const timeStatements = process.argv.includes('--time');
const count = { n: 0, byKind: new Map<string, number>(), µsBySql: new Map<string, number>() };
/** SQLite only (the statement runs inside the call): time per statement text, for --time. */
const timed = (sql: string, µs: number) => count.µsBySql.set(sql, (count.µsBySql.get(sql) ?? 0) + µs);
const note = (text: string) => {
  count.n += 1;
  const kind = /^\s*(\w+(?:\s+into\s+"?\w+"?|\s+"?\w+"?)?)/i.exec(text)?.[1]?.toLowerCase().replace(/"/g, '') ?? '?';
  const key = /^(select|with)/.test(kind) ? `${kind.split(/\s+/)[0]} …${/from "?(\w+)"?/i.exec(text)?.[1] ?? ''}` : kind;
  count.byKind.set(key, (count.byKind.get(key) ?? 0) + 1);
};

function countStatements(pg: boolean): void {
  const load = createRequire(__filename);
  if (pg) {
    const { Client } = load('pg') as typeof import('pg');
    const query = Client.prototype.query;
    Client.prototype.query = function (this: unknown, ...args: unknown[]) {
      const q = args[0];
      note(typeof q === 'string' ? q : ((q as { text?: string })?.text ?? '?'));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
  } else {
    const Database = load('better-sqlite3') as typeof import('better-sqlite3');
    const probe = new Database(':memory:');
    const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
    probe.close();
    for (const m of ['run', 'get', 'all', 'iterate']) {
      const orig = proto[m]!;
      proto[m] = function (this: { source: string }, ...args: unknown[]) {
        note(this.source);
        if (!timeStatements) return orig.apply(this, args);
        const t0 = process.hrtime.bigint();
        try {
          return orig.apply(this, args);
        } finally {
          timed(this.source, Number(process.hrtime.bigint() - t0) / 1000);
        }
      };
    }
  }
}


async function main() {
  const pg = process.argv.includes('--pg');
  countStatements(pg);
  const { post, close } = await localApp(pg, 'web');
  let seq = 0;
  const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const phoneOf = (i: number) => `+86139${String(base + i).padStart(8, '0')}`;
  const warning = () => {
    const i = seq++;
    return { source: 'bench', externalId: `RT-${base}-${i}`, phone: phoneOf(i), scamType: 'investment', riskLevel: 'medium', amount: 5000 };
  };
  // A second warning for a person whose case is open (the n-th warning posted so far).
  let repeats = 0;
  const repeatWarning = () => {
    const i = repeats++;
    return { source: 'bench', externalId: `RT-${base}-again-${i}`, phone: phoneOf(i), scamType: 'investment', riskLevel: 'high', amount: 8000 };
  };
  const measure = async (name: string, warnings: number, work: () => Promise<void>) => {
    count.n = 0;
    count.byKind.clear();
    count.µsBySql.clear();
    await work();
    const kinds = [...count.byKind].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round((v / warnings) * 100) / 100}`);
    process.stdout.write(`${name.padEnd(34)} ${(count.n / warnings).toFixed(2).padStart(6)} statements per warning  (${kinds.join(', ')})\n`);
    if (timeStatements && count.µsBySql.size) {
      const total = [...count.µsBySql.values()].reduce((a, b) => a + b, 0);
      process.stdout.write(`  SQLite time per warning ${(total / warnings).toFixed(0)} µs; the statements that cost most:\n`);
      for (const [sql, µs] of [...count.µsBySql].sort((a, b) => b[1] - a[1]).slice(0, 12)) process.stdout.write(`  ${(µs / warnings).toFixed(0).padStart(6)} µs  ${sql.replace(/\s+/g, ' ').slice(0, 150)}\n`);
    }
  };
  try {
    await withConcurrency(50, 8, () => post(warning()));
    process.stdout.write(`${pg ? 'PostgreSQL' : 'SQLite'}: statements per warning at the driver, BEGIN and COMMIT included\n`);
    await measure('one at a time (200)', 200, () => withConcurrency(200, 1, () => post(warning())));
    await measure('32 concurrent requests (1000)', 1000, () => withConcurrency(1000, 32, () => post(warning())));
    await measure('batches of 100, 1 at a time (5)', 500, () => withConcurrency(5, 1, () => post({ warnings: Array.from({ length: 100 }, warning) })));
    await measure('repeat warnings, 1 at a time (200)', 200, () => withConcurrency(200, 1, () => post(repeatWarning())));
  } finally {
    await close();
  }
  await measureWholeSend(pg, warning, measure);
}

/** Intake to a delivered SMS, every role in this process: what one warning costs the database end to end. */
async function measureWholeSend(pg: boolean, warning: () => object, measure: (name: string, warnings: number, work: () => Promise<void>) => Promise<void>) {
  // The bench's policy: a medium-risk warning is one SMS first, as in `npm run bench`.
  const { run, post, close } = await localApp(pg, 'all', { POLICY_FILE: path.join(__dirname, 'policy.yaml') });
  const delivered = async () => (await run.network.control.callbacks({ kind: 'sms-status', status: 'delivered' })).filter((c) => c.status >= 200 && c.status < 300).length;
  const settled = async (want: number) => {
    const deadline = Date.now() + 120_000;
    while ((await delivered()) < want) {
      if (Date.now() > deadline) throw new Error(`only ${await delivered()} of ${want} SMS delivered after 120 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
    // After the last callback, let what it set off finish: the count stops moving for a second.
    for (let last = -1; last !== count.n; ) {
      last = count.n;
      await new Promise((r) => setTimeout(r, 1000));
    }
  };
  try {
    await withConcurrency(20, 4, () => post(warning()));
    await settled(20);
    const cpu0 = process.cpuUsage();
    const t0 = Date.now();
    await measure('whole send, 4 concurrent (300)', 300, async () => {
      await withConcurrency(300, 4, () => post(warning()));
      await settled(320);
    });
    // The settling second at the end is idle: the CPU is the work's (app, phone network and client alike).
    const cpu = process.cpuUsage(cpu0);
    process.stdout.write(`  CPU of this process per warning: ${((cpu.user + cpu.system) / 1000 / 300).toFixed(2)} ms (wall ${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  } finally {
    await close();
  }
}

/** The app in this process on a fresh database, with an intake caller; `close` takes it all down again. */
async function localApp(pg: boolean, role: 'web' | 'all', env: Record<string, string> = {}) {
  const run = await prepareLocalRun({ db: pg ? postgresDatabase() : sqliteDatabase(), env: { LOG_LEVEL: 'silent', ...env } });
  const app = await start(role, run.env);
  const client = httpClient(run.appUrl);
  const post = async (body: unknown) => {
    const r = await client.post('/api/warnings', body, { authorization: `Bearer ${run.creds.keys.intake}` });
    if (r.status !== 202) throw new Error(`intake answered ${r.status}: ${r.body.slice(0, 300)}`);
  };
  const close = async () => {
    client.close();
    await app.stop();
    await run.network.close();
    await deleteRedisPrefix(run.prefix).catch(() => undefined);
    await run.db.cleanup();
  };
  return { run, post, close };
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`round-trips failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
