// `npm run bench` — the whole system on loopback under load: intake, dispatch, replies, classifier, memory.
// Flags: --json (one JSON object on stdout; progress stays on stderr), --pg (PostgreSQL instead of SQLite),
// --workers 1|2 (separate web + N worker processes instead of one process running both), --quick (smaller runs).
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { postgresDatabase, sqliteDatabase } from '../tests/support/databases';
import { startProcessStack, type ProcessStack } from './process-stack';
import { httpClient, percentile, round, withConcurrency, atRate, until } from './load';
import { benchClassifier } from './nlu';

interface Args {
  json: boolean;
  pg: boolean;
  workers: 0 | 1 | 2;
  quick: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, pg: false, workers: 0, quick: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--pg') args.pg = true;
    else if (a === '--quick') args.quick = true;
    else if (a === '--workers' || a.startsWith('--workers=')) {
      const v = a.includes('=') ? a.slice(10) : argv[++i];
      if (v !== '1' && v !== '2') throw new Error(`--workers must be 1 or 2, got "${v}"`);
      args.workers = Number(v) as 1 | 2;
    } else throw new Error(`unknown option "${a}"; use --json, --pg, --workers 1|2, --quick`);
  }
  return args;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const POLICY = path.join(__dirname, 'policy.yaml');
const SCAM_TYPES = ['pig_butchering', 'impersonation_police', 'fake_customer_service', 'investment', 'loan', 'task_rebate'];

/** Records when each SMS reached the provider, per recipient, as the phone network sees it. */
function watchProviderSms(stack: ProcessStack) {
  const times = new Map<string, number[]>();
  const seen = new Set<string>();
  const state = stack.network.state;
  state.events.on('change', (e: { kind: string; ref: string }) => {
    if (e.kind !== 'sms' || seen.has(e.ref)) return;
    const last = state.messages[state.messages.length - 1];
    const m = last?.sid === e.ref ? last : state.message(e.ref);
    if (!m || m.direction === 'inbound') return;
    seen.add(e.ref);
    const list = times.get(m.to) ?? [];
    list.push(performance.now());
    times.set(m.to, list);
  });
  return {
    first: (phone: string) => times.get(phone)?.[0],
    after: (phone: string, t: number) => times.get(phone)?.find((x) => x >= t),
    count: () => seen.size,
    clear: () => {
      times.clear();
      seen.clear();
    },
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const scale = args.quick ? 0.3 : 1;
  const n = { warm: 200, single: Math.round(3000 * scale), batches: Math.round(30 * scale), batchSize: 100, dispatchSeconds: args.quick ? 5 : 10, rate: 200, replies: Math.round(300 * scale) };
  if (args.workers > 0 && !args.pg) {
    // Several processes can share one SQLite file, but a process waiting for its write lock stalls its
    // whole event loop (better-sqlite3 is synchronous): scaling out means PostgreSQL.
    progress('--workers runs several processes: using PostgreSQL');
    args.pg = true;
  }
  const roles = args.workers === 0 ? (['all'] as const) : args.workers === 1 ? (['web', 'worker'] as const) : (['web', 'worker', 'worker'] as const);
  progress(`starting ${roles.join(' + ')} on ${args.pg ? 'PostgreSQL' : 'SQLite'} with the local phone network…`);
  const stack = await startProcessStack({ roles: [...roles], db: args.pg ? postgresDatabase() : sqliteDatabase(), env: { POLICY_FILE: POLICY }, smsStepMs: 10 });
  const client = httpClient(stack.appUrl);
  const auth = { authorization: `Bearer ${stack.keys.intake}` };
  const sms = watchProviderSms(stack);
  const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  let seq = 0;
  const warning = () => {
    const i = seq++;
    return { source: 'bench', externalId: `B-${base}-${i}`, phone: `+86139${String(base + i).padStart(8, '0')}`, scamType: SCAM_TYPES[i % SCAM_TYPES.length], riskLevel: 'medium', amount: 1000 + (i % 50) * 100 };
  };
  const results: Record<string, number | string> = { database: args.pg ? 'postgresql' : 'sqlite', processes: roles.join('+') };
  try {
    const post = async (body: unknown) => {
      const r = await client.post('/api/warnings', body, auth);
      if (r.status !== 202) throw new Error(`intake answered ${r.status}: ${r.body.slice(0, 300)}`);
      return r;
    };

    progress(`warm-up: ${n.warm} warnings`);
    await withConcurrency(n.warm, 16, async () => void (await post(warning())));

    progress(`intake, single: ${n.single} warnings, 32 concurrent requests`);
    const single: number[] = [];
    let t0 = performance.now();
    await withConcurrency(n.single, 32, async () => void single.push((await post(warning())).ms));
    let secs = (performance.now() - t0) / 1000;
    results.intake_per_s = Math.round(n.single / secs);
    results.intake_p50_ms = round(percentile(single, 0.5));
    results.intake_p99_ms = round(percentile(single, 0.99));
    progress(`  ${results.intake_per_s}/s, p50 ${results.intake_p50_ms} ms, p99 ${results.intake_p99_ms} ms`);

    progress(`intake, batched: ${n.batches} requests of ${n.batchSize}, 4 concurrent`);
    const batched: number[] = [];
    t0 = performance.now();
    await withConcurrency(n.batches, 4, async () => void batched.push((await post({ warnings: Array.from({ length: n.batchSize }, warning) })).ms));
    secs = (performance.now() - t0) / 1000;
    results.intake_batched_per_s = Math.round((n.batches * n.batchSize) / secs);
    results.intake_batch_p50_ms = round(percentile(batched, 0.5));
    results.intake_batch_p99_ms = round(percentile(batched, 0.99));
    progress(`  ${results.intake_batched_per_s} warnings/s, request p50 ${results.intake_batch_p50_ms} ms, p99 ${results.intake_batch_p99_ms} ms`);

    const backlog = seq;
    progress(`draining the outreach backlog (${backlog} warning SMS)…`);
    t0 = performance.now();
    const drained = await until(() => sms.count() >= backlog, 180_000, 250);
    secs = (performance.now() - t0) / 1000;
    progress(`  ${drained ? 'done' : `stopped waiting at ${sms.count()}`} after ${round(secs)} s`);
    results.backlog_sms_sent = sms.count();
    results.backlog_warnings = backlog;
    await stack.network.control.reset();
    sms.clear();

    const total = n.rate * n.dispatchSeconds;
    progress(`dispatch: ${total} warnings at ${n.rate}/s (open loop); time to the first provider request`);
    const sentAt = new Map<string, number>();
    await atRate(total, n.rate, async () => {
      const w = warning();
      sentAt.set(w.phone, performance.now());
      await post(w);
    });
    await until(() => [...sentAt.keys()].every((p) => sms.first(p) !== undefined), 60_000, 100);
    const dispatch = [...sentAt].map(([p, t]) => (sms.first(p) ?? NaN) - t).filter((x) => !Number.isNaN(x));
    results.dispatch_rate_per_s = n.rate;
    results.dispatch_p50_ms = round(percentile(dispatch, 0.5));
    results.dispatch_p99_ms = round(percentile(dispatch, 0.99));
    results.dispatch_missing = total - dispatch.length;
    progress(`  p50 ${results.dispatch_p50_ms} ms, p99 ${results.dispatch_p99_ms} ms (${results.dispatch_missing} not sent within 60 s)`);

    progress(`replies: ${n.replies} citizens answer the warning SMS at 50/s`);
    const phones = [...sentAt.keys()].slice(0, n.replies);
    const webhook: number[] = [];
    const toNext: number[] = [];
    const repliedAt = new Map<string, number>();
    await atRate(phones.length, 50, async (i) => {
      const phone = phones[i]!;
      const t = performance.now();
      repliedAt.set(phone, t);
      await stack.network.control.sendSms(phone, i % 2 ? '我知道是骗子，我不会转钱的' : 'I know it is a scam, I will not pay');
      webhook.push(performance.now() - t);
    });
    await until(() => phones.every((p) => sms.after(p, repliedAt.get(p)!) !== undefined), 30_000, 100);
    for (const p of phones) {
      const next = sms.after(p, repliedAt.get(p)!);
      if (next !== undefined) toNext.push(next - repliedAt.get(p)!);
    }
    results.reply_p50_ms = round(percentile(webhook, 0.5));
    results.reply_p99_ms = round(percentile(webhook, 0.99));
    results.reply_to_next_sms_p50_ms = round(percentile(toNext, 0.5));
    results.reply_to_next_sms_p99_ms = round(percentile(toNext, 0.99));
    progress(`  webhook answered p50 ${results.reply_p50_ms} ms, p99 ${results.reply_p99_ms} ms; next SMS at the provider p50 ${results.reply_to_next_sms_p50_ms} ms, p99 ${results.reply_to_next_sms_p99_ms} ms (${toNext.length}/${phones.length})`);

    const rss = stack.processes.map((p) => ({ role: p.role, mb: p.peakRssMb() }));
    results.rss_mb = Math.max(...rss.map((r) => r.mb));
    results.rss_by_process = rss.map((r) => `${r.role}:${r.mb}`).join(' ');
    progress(`peak RSS: ${results.rss_by_process} MB`);
  } finally {
    client.close();
    progress('stopping the stack…');
    await stack.stop();
  }

  progress(`classifier: ${args.quick ? '5,000' : '20,000'} unique utterances (bench/nlu.ts)`);
  const nlu = await benchClassifier({ n: args.quick ? 5000 : 20_000 });
  results.nlu_per_s = nlu.nlu_per_s;
  results.nlu_per_cpu_s = nlu.nlu_per_cpu_s;
  results.nlu_p99_ms = nlu.nlu_p99_ms;
  progress(`  ${nlu.nlu_per_s}/s (${nlu.nlu_per_cpu_s} per CPU second), p99 ${nlu.nlu_p99_ms} ms`);

  if (args.json) process.stdout.write(`${JSON.stringify(results)}\n`);
  else for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(28)} ${v}\n`);
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
