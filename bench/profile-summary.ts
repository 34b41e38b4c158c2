// npx tsx bench/profile-summary.ts FILE.cpuprofile [--top N] [--from S --to S] [--gaps MS] [--inclusive]
// Reads a V8 CPU profile (written by `BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=DIR" npm run bench`) and
// prints where the time went: self time by function and by package (node_modules/<name>, the app's own
// folders, node: internals), optionally only between two offsets in seconds; with --gaps, the stretches
// longer than MS during which one function held the thread without a break (what stalls the event loop);
// with --inclusive, the time spent under each of the app's own functions (callees included), to tell which
// operation (a route, the relay, a lifecycle step) costs what.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

function packageOf(url: string): string {
  if (!url) return '(native or idle)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const m = /\/(server|flows|bots|nlu-models|bench|tools|tests)\/([^/]+)/.exec(url);
  return m ? `${m[1]}/${m[2]}` : url;
}

const isOwn = (url: string) => !!url && !url.includes('node_modules') && !url.startsWith('node:') && /\/(server|flows|bots|nlu-models)\//.test(url);

function main() {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '30' }, from: { type: 'string' }, to: { type: 'string' }, gaps: { type: 'string' }, inclusive: { type: 'boolean', default: false } } });
  const file = positionals[0];
  if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [--top N] [--from S --to S] [--gaps MS]');
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const from = values.from ? Number(values.from) * 1e6 : -Infinity;
  const to = values.to ? Number(values.to) * 1e6 : Infinity;
  const self = new Map<string, number>();
  const pkg = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  let t = 0;
  const gapMs = values.gaps ? Number(values.gaps) : 0;
  const gaps: { at: number; ms: number; fn: string; stack: string }[] = [];
  let run: { key: number; start: number; end: number } | undefined;
  const where = (url: string) => (isOwn(url) ? url.replace(/^.*?\/(?=(?:dist\/)?(?:server|flows|bots|nlu-models)\/)/, '') : packageOf(url));
  const label = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const closeRun = () => {
    if (run && (run.end - run.start) / 1000 >= gapMs && byId.get(run.key)!.callFrame.functionName !== '(idle)') {
      const stack: string[] = [];
      for (let id: number | undefined = run.key; id !== undefined && stack.length < 8; id = parent.get(id)) stack.push(label(byId.get(id)!));
      gaps.push({ at: run.start / 1e6, ms: (run.end - run.start) / 1000, fn: label(byId.get(run.key)!), stack: stack.join(' < ') });
    }
  };
  for (let i = 0; i < profile.samples.length; i++) {
    const dt = profile.timeDeltas[i] ?? 0;
    t += dt;
    const node = byId.get(profile.samples[i]!)!;
    if (gapMs) {
      if (run && run.key === node.id) run.end = t;
      else { closeRun(); run = { key: node.id, start: t, end: t }; }
    }
    if (t < from || t > to) continue;
    total += dt;
    const fn = label(node);
    self.set(fn, (self.get(fn) ?? 0) + dt);
    const p = node.callFrame.functionName === '(idle)' ? '(idle)' : node.callFrame.functionName === '(garbage collector)' ? '(gc)' : packageOf(node.callFrame.url);
    pkg.set(p, (pkg.get(p) ?? 0) + dt);
    if (values.inclusive) {
      const seen = new Set<string>();
      for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
        const n = byId.get(id)!;
        if (!isOwn(n.callFrame.url)) continue;
        const key = label(n);
        if (!seen.has(key)) seen.add(key);
      }
      for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + dt);
    }
  }
  closeRun();
  const top = Number(values.top);
  const show = (title: string, m: Map<string, number>) => {
    console.log(`\n${title} (of ${(total / 1e6).toFixed(2)} s)`);
    for (const [k, v] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * v) / total).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(7)} ms  ${k}`);
  };
  console.log(`${file}: ${((profile.endTime - profile.startTime) / 1e6).toFixed(2)} s profiled, ${profile.samples.length} samples`);
  show('self time by package', pkg);
  show('self time by function', self);
  if (values.inclusive) show("time under the app's own functions, callees included", inclusive);
  if (gapMs) {
    console.log(`\nstretches ≥ ${gapMs} ms in one function (not idle): ${gaps.length}`);
    for (const g of gaps.sort((a, b) => b.ms - a.ms).slice(0, top)) console.log(`  at ${g.at.toFixed(2)} s, ${g.ms.toFixed(0)} ms: ${g.stack}`);
  }
}
main();
