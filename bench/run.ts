// `npm run bench` — quanzu on loopback under load beside a reference of the same essential work
// (bench/reference.ts) in the same run: intake, dispatch, SMS and voice replies, classifier, memory per
// process. Every figure that the reference also has is printed with its ratio (quanzu ÷ reference):
// absolute numbers on a shared 2-core machine are noise, ratios measured minutes apart are not.
// Flags: --json (one JSON object on stdout; progress stays on stderr), --pg (PostgreSQL instead of SQLite),
// --workers 1|2 (separate web + N worker processes instead of one process running both), --quick
// (smaller runs), --rate N (dispatch arrivals per second, default 100), --no-reference (quanzu alone),
// --built (quanzu runs the compiled build, dist/, as `npm start` does; run `npm run build` first).
import os from 'node:os';
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
  rate: number;
  reference: boolean;
  built: boolean;
}

export function parseArgs(argv: string[]): Args {
  const args: Args = { json: false, pg: false, workers: 0, quick: false, rate: 100, reference: true, built: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (name: string) => (a.includes('=') ? a.slice(name.length + 1) : argv[++i]);
    if (a === '--json') args.json = true;
    else if (a === '--pg') args.pg = true;
    else if (a === '--quick') args.quick = true;
    else if (a === '--no-reference') args.reference = false;
    else if (a === '--built') args.built = true;
    else if (a === '--workers' || a.startsWith('--workers=')) {
      const v = value('--workers');
      if (v !== '1' && v !== '2') throw new Error(`--workers must be 1 or 2, got "${v}"`);
      args.workers = Number(v) as 1 | 2;
    } else if (a === '--rate' || a.startsWith('--rate=')) {
      const v = Number(value('--rate'));
      if (!Number.isInteger(v) || v < 1 || v > 1000) throw new Error(`--rate must be a whole number of warnings per second (1–1000)`);
      args.rate = v;
    } else throw new Error(`unknown option "${a}"; use --json, --pg, --workers 1|2, --quick, --rate N, --no-reference, --built`);
  }
  return args;
}

const progress = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const POLICY = path.join(__dirname, 'policy.yaml');
const SCAM_TYPES = ['pig_butchering', 'impersonation_police', 'fake_customer_service', 'investment', 'loan', 'task_rebate'];
const load1 = () => round(os.loadavg()[0]!, 2);
/** CPU time all of an app's processes have used so far, ms: steadier than throughput on a shared machine. */
const cpuOf = (stack: ProcessStack) => stack.processes.reduce((sum, p) => sum + p.cpuMs(), 0);

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

/** Resolves when the network has had the app's answer to the next webhook of `kind` for `ref` (a CallSid). */
function watchCallbacks(stack: ProcessStack) {
  const waiters = new Map<string, { kind: string; resolve: (status: number) => void }>();
  const state = stack.network.state;
  state.events.on('change', (e: { kind: string; ref: string }) => {
    if (e.kind !== 'callback') return;
    const w = waiters.get(e.ref);
    if (!w) return;
    for (let i = state.callbacks.length - 1; i >= 0; i--) {
      const c = state.callbacks[i]!;
      if (c.ref !== e.ref) continue;
      if (c.kind === w.kind && c.status !== -1) {
        waiters.delete(e.ref);
        w.resolve(c.status);
      }
      break;
    }
  });
  return {
    next: (ref: string, kind: string) => new Promise<number>((resolve) => waiters.set(ref, { kind, resolve })),
  };
}

type App = 'quanzu' | 'reference';
interface Figure {
  quanzu?: number | string;
  reference?: number | string;
  /** quanzu ÷ reference */
  ratio?: number;
  target?: string;
  met?: boolean;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const scale = args.quick ? 0.3 : 1;
  const n = {
    warm: 200,
    single: Math.round(3000 * scale),
    batches: Math.round(30 * scale),
    batchSize: 100,
    dispatchSeconds: args.quick ? 5 : 10,
    rate: args.rate,
    replies: Math.round(300 * scale),
    calls: Math.round(150 * scale),
  };
  if (args.workers > 0 && !args.pg) {
    // Several processes can share one SQLite file, but a process waiting for its write lock stalls its
    // whole event loop (better-sqlite3 is synchronous): scaling out means PostgreSQL.
    progress('--workers runs several processes: using PostgreSQL');
    args.pg = true;
  }
  const roles = args.workers === 0 ? (['all'] as const) : args.workers === 1 ? (['web', 'worker'] as const) : (['web', 'worker', 'worker'] as const);
  const apps: App[] = args.reference ? ['reference', 'quanzu'] : ['quanzu'];
  const figures: Record<string, Figure> = {};
  const put = (name: string, app: App, value: number | string) => ((figures[name] ??= {})[app] = value);
  const loads: number[] = [load1()];
  const startedLoad = os.loadavg().map((x) => round(x, 2));

  const stacks = {} as Record<App, ProcessStack>;
  const clients = {} as Record<App, ReturnType<typeof httpClient>>;
  const smsWatch = {} as Record<App, ReturnType<typeof watchProviderSms>>;
  let seq = 0;
  const base = 10_000_000 + Math.floor(Math.random() * 80_000_000);
  const warning = (riskLevel = 'medium') => {
    const i = seq++;
    return { source: 'bench', externalId: `B-${base}-${i}`, phone: `+86139${String(base + i).padStart(8, '0')}`, scamType: SCAM_TYPES[i % SCAM_TYPES.length], riskLevel, amount: 1000 + (i % 50) * 100 };
  };
  const post = async (app: App, body: unknown) => {
    const r = await clients[app].post('/api/warnings', body, { authorization: `Bearer ${stacks[app].keys.intake}` });
    if (r.status !== 202) throw new Error(`${app} intake answered ${r.status}: ${r.body.slice(0, 300)}`);
    return r;
  };

  try {
    for (const app of apps) {
      progress(`starting ${app}: ${roles.join(' + ')} on ${args.pg ? 'PostgreSQL' : 'SQLite'} with its own local phone network…`);
      stacks[app] = await startProcessStack({ app, roles: [...roles], db: args.pg ? postgresDatabase() : sqliteDatabase(), env: { POLICY_FILE: POLICY }, smsStepMs: 10, built: app === 'quanzu' && args.built });
      clients[app] = httpClient(stacks[app].appUrl);
      smsWatch[app] = watchProviderSms(stacks[app]);
    }

    // Each phase runs on the reference, then on quanzu, so the two see the same machine minutes apart.
    // A process may defer outreach while intake is busy (server/jobs/intake-first.ts): the whole figure counts
    // each warning's intake and its outreach alike, from the warm-up until the backlog's last SMS.
    const cpuAtWarmUp: Partial<Record<App, number>> = {};
    for (const app of apps) {
      cpuAtWarmUp[app] = cpuOf(stacks[app]);
      progress(`${app} warm-up: ${n.warm} warnings`);
      await withConcurrency(n.warm, 16, async () => void (await post(app, warning())));
    }

    for (const app of apps) {
      progress(`${app} intake, single: ${n.single} warnings, 32 concurrent requests (load ${load1()})`);
      const single: number[] = [];
      const cpu0 = cpuOf(stacks[app]);
      const t0 = performance.now();
      await withConcurrency(n.single, 32, async () => void single.push((await post(app, warning())).ms));
      const secs = (performance.now() - t0) / 1000;
      put('intake_per_s', app, Math.round(n.single / secs));
      put('intake_p50_ms', app, round(percentile(single, 0.5)));
      put('intake_p99_ms', app, round(percentile(single, 0.99)));
      put('intake_cpu_ms_per_warning', app, round((cpuOf(stacks[app]) - cpu0) / n.single, 2));
      progress(`  ${figures.intake_per_s![app]}/s, p50 ${figures.intake_p50_ms![app]} ms, p99 ${figures.intake_p99_ms![app]} ms`);
      loads.push(load1());
    }

    for (const app of apps) {
      progress(`${app} intake, batched: ${n.batches} requests of ${n.batchSize}, 4 concurrent`);
      const batched: number[] = [];
      const t0 = performance.now();
      await withConcurrency(n.batches, 4, async () => void batched.push((await post(app, { warnings: Array.from({ length: n.batchSize }, () => warning()) })).ms));
      const secs = (performance.now() - t0) / 1000;
      put('intake_batched_per_s', app, Math.round((n.batches * n.batchSize) / secs));
      put('intake_batch_p50_ms', app, round(percentile(batched, 0.5)));
      put('intake_batch_p99_ms', app, round(percentile(batched, 0.99)));
      progress(`  ${figures.intake_batched_per_s![app]} warnings/s, request p50 ${figures.intake_batch_p50_ms![app]} ms, p99 ${figures.intake_batch_p99_ms![app]} ms`);
      loads.push(load1());
    }

    const backlog = n.warm + n.single + n.batches * n.batchSize;
    for (const app of apps) {
      progress(`${app}: draining the outreach backlog (${backlog} warning SMS)…`);
      const t0 = performance.now();
      const drained = await until(() => smsWatch[app].count() >= backlog, 240_000, 250);
      const secs = (performance.now() - t0) / 1000;
      progress(`  ${drained ? 'done' : `stopped waiting at ${smsWatch[app].count()}`} after ${round(secs)} s`);
      put('backlog_sms_sent', app, smsWatch[app].count());
      put('backlog_drain_s', app, round(secs));
      put('backlog_cpu_ms_per_warning', app, round((cpuOf(stacks[app]) - cpuAtWarmUp[app]!) / backlog, 2));
      await stacks[app].network.control.reset();
      smsWatch[app].clear();
    }
    figures.backlog_warnings = { quanzu: backlog };

    const dispatchPhones: string[] = [];
    for (const app of apps) {
      const total = n.rate * n.dispatchSeconds;
      progress(`${app} dispatch: ${total} warnings at ${n.rate}/s (open loop); time to the first provider request (load ${load1()})`);
      const sentAt = new Map<string, number>();
      const accepted: number[] = [];
      const cpu0 = cpuOf(stacks[app]);
      await atRate(total, n.rate, async () => {
        const w = warning();
        const t = performance.now();
        sentAt.set(w.phone, t);
        await post(app, w);
        accepted.push(performance.now() - t);
      });
      await until(() => [...sentAt.keys()].every((p) => smsWatch[app].first(p) !== undefined), 60_000, 100);
      const dispatch = [...sentAt].map(([p, t]) => (smsWatch[app].first(p) ?? NaN) - t).filter((x) => !Number.isNaN(x));
      put('dispatch_p50_ms', app, round(percentile(dispatch, 0.5)));
      put('dispatch_p99_ms', app, round(percentile(dispatch, 0.99)));
      put('dispatch_missing', app, total - dispatch.length);
      // The part of it spent before the 202 (intake's commit), to tell intake's queueing from the send's.
      put('dispatch_accepted_p50_ms', app, round(percentile(accepted, 0.5)));
      put('dispatch_accepted_p99_ms', app, round(percentile(accepted, 0.99)));
      // Everything the app did for those warnings until each SMS reached the provider (its status callbacks included).
      put('dispatch_cpu_ms_per_warning', app, round((cpuOf(stacks[app]) - cpu0) / total, 2));
      progress(`  p50 ${figures.dispatch_p50_ms![app]} ms, p99 ${figures.dispatch_p99_ms![app]} ms (${figures.dispatch_missing![app]} not sent within 60 s); accepted (202) p50 ${figures.dispatch_accepted_p50_ms![app]} ms, p99 ${figures.dispatch_accepted_p99_ms![app]} ms`);
      if (app === 'quanzu') dispatchPhones.push(...sentAt.keys());
      loads.push(load1());
    }
    figures.dispatch_rate_per_s = { quanzu: n.rate, reference: n.rate };

    // Replies exist only in quanzu (the reference has no conversation).
    const q = stacks.quanzu;
    const sms = smsWatch.quanzu;
    progress(`quanzu replies: ${n.replies} citizens answer the warning SMS at 50/s`);
    const smsPhones = dispatchPhones.slice(0, n.replies);
    const webhook: number[] = [];
    const toNext: number[] = [];
    const repliedAt = new Map<string, number>();
    await atRate(smsPhones.length, 50, async (i) => {
      const phone = smsPhones[i]!;
      const t = performance.now();
      repliedAt.set(phone, t);
      await q.network.control.sendSms(phone, i % 2 ? '我知道是骗子，我不会转钱的' : 'I know it is a scam, I will not pay');
      webhook.push(performance.now() - t);
    });
    await until(() => smsPhones.every((p) => sms.after(p, repliedAt.get(p)!) !== undefined), 30_000, 100);
    for (const p of smsPhones) {
      const next = sms.after(p, repliedAt.get(p)!);
      if (next !== undefined) toNext.push(next - repliedAt.get(p)!);
    }
    put('reply_sms_p50_ms', 'quanzu', round(percentile(webhook, 0.5)));
    put('reply_sms_p99_ms', 'quanzu', round(percentile(webhook, 0.99)));
    put('reply_to_next_sms_p50_ms', 'quanzu', round(percentile(toNext, 0.5)));
    put('reply_to_next_sms_p99_ms', 'quanzu', round(percentile(toNext, 0.99)));
    progress(`  webhook answered p50 ${figures.reply_sms_p50_ms!.quanzu} ms, p99 ${figures.reply_sms_p99_ms!.quanzu} ms; next SMS at the provider p50 ${figures.reply_to_next_sms_p50_ms!.quanzu} ms, p99 ${figures.reply_to_next_sms_p99_ms!.quanzu} ms (${toNext.length}/${smsPhones.length})`);

    // Voice: warned citizens call the centre back and answer its first question by speech. Timed: the
    // signed gather webhook (SpeechResult → classify → flow step → TwiML) until Twilio has the answer.
    progress(`quanzu voice replies: ${n.calls} citizens call back at 20/s and answer by speech`);
    const callbacks = watchCallbacks(q);
    const voicePhones = dispatchPhones.slice(n.replies, n.replies + n.calls);
    const answered: number[] = [];
    const gathered: number[] = [];
    let voiceFailed = 0;
    await atRate(voicePhones.length, 20, async (i) => {
      try {
        let t = performance.now();
        const call = await q.network.control.placeCall(voicePhones[i]!);
        const first = callbacks.next(call.sid, 'incoming-voice');
        await q.network.control.waitForGather(call.sid, { timeoutMs: 10_000 });
        await first;
        answered.push(performance.now() - t);
        const reply = callbacks.next(call.sid, 'gather-action');
        t = performance.now();
        await q.network.control.answerGather(call.sid, { speech: i % 2 ? '我知道是骗子，我不会转钱的' : '我没有转钱，谢谢提醒', confidence: 0.9 });
        const status = await reply;
        if (status !== 200) throw new Error(`gather webhook answered ${status}`);
        gathered.push(performance.now() - t);
      } catch (err) {
        voiceFailed += 1;
        if (voiceFailed <= 3) progress(`  voice call ${i} failed: ${(err as Error).message}`);
      }
    });
    put('voice_answer_p99_ms', 'quanzu', round(percentile(answered, 0.99)));
    put('reply_voice_p50_ms', 'quanzu', round(percentile(gathered, 0.5)));
    put('reply_voice_p99_ms', 'quanzu', round(percentile(gathered, 0.99)));
    put('reply_voice_failed', 'quanzu', voiceFailed);
    progress(`  call answered p99 ${figures.voice_answer_p99_ms!.quanzu} ms; speech answered p50 ${figures.reply_voice_p50_ms!.quanzu} ms, p99 ${figures.reply_voice_p99_ms!.quanzu} ms (${gathered.length}/${voicePhones.length})`);
    loads.push(load1());

    for (const app of apps) {
      const list = stacks[app].processes.map((p) => ({ role: p.role, tree: p.peakRssTree() }));
      list.forEach((p, i) => {
        const key = `rss_${p.role}${list.filter((x) => x.role === p.role).length > 1 ? i : ''}_mb`;
        put(key, app, p.tree[0]?.mb ?? 0);
      });
      put('rss_by_process', app, list.map((p) => `${p.role}:${p.tree.map((t) => t.mb).join('+')}`).join(' '));
      progress(`${app} peak RSS (VmHWM) by process (+ its children): ${figures.rss_by_process![app]} MB`);
    }
  } finally {
    progress('stopping…');
    for (const app of apps) {
      clients[app]?.close();
      await stacks[app]?.stop();
    }
  }

  progress(`classifier: ${args.quick ? '5,000' : '20,000'} unique utterances (bench/nlu.ts)`);
  const nlu = await benchClassifier({ n: args.quick ? 5000 : 20_000 });
  put('nlu_per_s', 'quanzu', nlu.nlu_per_s);
  put('nlu_p99_ms', 'quanzu', nlu.nlu_p99_ms);
  progress(`  ${nlu.nlu_per_s}/s, p99 ${nlu.nlu_p99_ms} ms`);

  for (const f of Object.values(figures)) {
    if (typeof f.quanzu === 'number' && typeof f.reference === 'number' && f.reference > 0) f.ratio = round(f.quanzu / f.reference, 2);
  }
  judge(figures, args.pg);
  const summary = {
    database: args.pg ? 'postgresql' : 'sqlite',
    processes: `${roles.join('+')}${args.built ? ' (compiled build)' : ' (sources under tsx)'}`,
    load_avg_at_start: startedLoad.join(' '),
    load_1min_during: `${Math.min(...loads)}–${Math.max(...loads)}`,
    figures,
  };
  if (args.json) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else print(summary);
}

/** The issue's targets (#17): ratios where the reference has the figure, absolute where it has none. */
function judge(f: Record<string, Figure>, pg: boolean): void {
  const check = (name: string, target: string, ok: (x: Figure) => boolean | undefined) => {
    const x = f[name];
    if (!x) return;
    x.target = target;
    x.met = ok(x);
  };
  const min = pg ? 0.35 : 0.5;
  check('intake_per_s', `ratio ≥ ${min}`, (x) => x.ratio !== undefined && x.ratio >= min);
  check('dispatch_p99_ms', '≤ 250 ms', (x) => typeof x.quanzu === 'number' && x.quanzu <= 250);
  check('dispatch_missing', '0', (x) => x.quanzu === 0);
  check('reply_sms_p99_ms', '≤ 50 ms', (x) => typeof x.quanzu === 'number' && x.quanzu <= 50);
  check('reply_voice_p99_ms', '≤ 50 ms', (x) => typeof x.quanzu === 'number' && x.quanzu <= 50);
  for (const [name, x] of Object.entries(f)) {
    if (!/^rss_.*_mb$/.test(name)) continue;
    const cap = name.startsWith('rss_all') ? 300 : name.startsWith('rss_worker') ? 150 : undefined;
    const parts = [cap ? `< ${cap} MB` : undefined, x.reference !== undefined ? 'ratio ≤ 2' : undefined].filter(Boolean);
    check(name, parts.join(', '), (v) => typeof v.quanzu === 'number' && (cap === undefined || v.quanzu < cap) && (v.ratio === undefined || v.ratio <= 2));
  }
}

function print(summary: { database: string; processes: string; load_avg_at_start: string; load_1min_during: string; figures: Record<string, Figure> }): void {
  const out = process.stdout;
  out.write(`${summary.database}, ${summary.processes}; load average at start ${summary.load_avg_at_start}, 1-min load during ${summary.load_1min_during}\n`);
  out.write(`${'figure'.padEnd(26)} ${'quanzu'.padStart(12)} ${'reference'.padStart(12)} ${'ratio'.padStart(7)}  target\n`);
  for (const [name, f] of Object.entries(summary.figures)) {
    const cell = (v: unknown, w: number) => String(v ?? '').padStart(w);
    const verdict = f.target ? `${f.target}: ${f.met ? 'met' : 'MISSED'}` : '';
    if (typeof f.quanzu === 'string' && f.quanzu.length > 12) out.write(`${name.padEnd(26)} quanzu ${f.quanzu}${f.reference ? `; reference ${f.reference}` : ''}\n`);
    else out.write(`${name.padEnd(26)} ${cell(f.quanzu, 12)} ${cell(f.reference, 12)} ${cell(f.ratio, 7)}  ${verdict}\n`);
  }
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
