// The app as separate OS processes (what `npm start -- --role web|worker` runs), for the benchmark and
// the fault and scale-out tests: a process can be killed, signalled and measured on its own.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ProcessRole = 'web' | 'worker' | 'all';

const ROOT = path.resolve(__dirname, '..');
const READY_LINE: Record<ProcessRole, string> = { web: 'quanzu web listening', worker: 'quanzu workers started', all: 'quanzu workers started' };
// bench/reference.ts prints these (REFERENCE_READY); not imported, so test processes don't load the reference's modules.
const REFERENCE_READY_LINE: Record<ProcessRole, string> = { web: 'reference web listening', worker: 'reference worker started', all: 'reference worker started' };

export interface AppProcess {
  role: ProcessRole;
  pid: number;
  child: ChildProcess;
  /** The last 64 kB the process wrote (stdout and stderr), for failure messages. */
  output(): string;
  /** Peak resident set size so far, MB (VmHWM), or 0 once the process is gone. */
  peakRssMb(): number;
  /** The same for the process and every process it started (its process tree), largest first. */
  peakRssTree(): Array<{ pid: number; mb: number }>;
  /** CPU time the process and its children have used so far, ms (compare two readings). */
  cpuMs(): number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (graceful drain) and wait for the exit; SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL: the process dies mid-work, as on an OOM kill or a power cut. */
  kill(): Promise<void>;
}

/**
 * Starts `server/main.ts --role <role>` under node with tsx's loader (the same code `npm start` runs,
 * without npm's and tsx's wrapper processes, so the pid is the app's own), or with `built` the compiled
 * `dist/server/main.js` exactly as `npm start` runs it. Resolves once it says it is ready.
 */
export function spawnApp(role: ProcessRole, env: Record<string, string>, opts: { readyTimeoutMs?: number; built?: boolean } = {}): Promise<AppProcess> {
  if (opts.built) return spawnRole(builtMain(), READY_LINE, role, env, { ...opts, loader: false });
  return spawnRole(path.join(ROOT, 'server', 'main.ts'), READY_LINE, role, env, opts);
}

const SOURCE_DIRS = ['server', 'bots', 'flows', 'nlu-models/src', 'tools'];

/** dist/server/main.js, refused when it is missing or older than a source file (a stale build measures old code). */
export function builtMain(): string {
  const main = path.join(ROOT, 'dist', 'server', 'main.js');
  if (!fs.existsSync(main)) throw new Error('no compiled build (dist/server/main.js): run `npm run build` first');
  const builtAt = fs.statSync(main).mtimeMs;
  const newer = (dir: string): string | undefined => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory() && e.name !== 'node_modules') {
        const found = newer(p);
        if (found) return found;
      } else if (/\.ts$/.test(e.name) && fs.statSync(p).mtimeMs > builtAt) return p;
    }
    return undefined;
  };
  for (const d of SOURCE_DIRS) {
    const stale = newer(path.join(ROOT, d));
    if (stale) throw new Error(`the compiled build is older than ${path.relative(ROOT, stale)}: run \`npm run build\` again`);
  }
  return main;
}

/** Starts `bench/reference.ts --role <role>` the same way (the bench's reference of the same work). */
export function spawnReference(role: ProcessRole, env: Record<string, string>, opts: { readyTimeoutMs?: number } = {}): Promise<AppProcess> {
  return spawnRole(path.join(ROOT, 'bench', 'reference.ts'), REFERENCE_READY_LINE, role, env, opts);
}

/** VmHWM of one process in MB, 0 if it is gone. */
export function peakRssOf(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round(Number(m[1]) / 1024) : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) the process has used so far, ms; 0 if it is gone. */
export function cpuMsOf(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
  } catch {
    return 0;
  }
}
/** Linux's USER_HZ (sysconf(_SC_CLK_TCK)), 100 on every mainstream kernel. */
const CLOCK_TICKS = 100;

/** The pid and all its descendants (Linux /proc/<pid>/task/<tid>/children). */
function processTree(pid: number): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    let tasks: string[] = [];
    try {
      tasks = fs.readdirSync(`/proc/${out[i]}/task`);
    } catch {
      continue;
    }
    for (const t of tasks) {
      try {
        for (const c of fs.readFileSync(`/proc/${out[i]}/task/${t}/children`, 'utf8').split(' ').filter(Boolean)) out.push(Number(c));
      } catch {
        /* the task ended */
      }
    }
  }
  return out;
}

/**
 * The node options in package.json's `start` script ("node --max-old-space-size=512 dist/server/main.js" gives
 * ["--max-old-space-size=512"]): every process the bench and the process tests start, quanzu's and the
 * reference's alike, runs with them, so they measure what `npm start` runs and compare code, not flags.
 */
export function startNodeArgs(): string[] {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } };
  const [node, ...rest] = pkg.scripts.start.split(/\s+/);
  if (node !== 'node') throw new Error(`package.json's start script does not run node: ${pkg.scripts.start}`);
  const options: string[] = [];
  for (const arg of rest) {
    if (!arg.startsWith('--')) break;
    options.push(arg);
  }
  return options;
}

/** App processes still running: if the bench dies (an uncaught error), they must not go on using the machine. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const c of running) c.kill('SIGKILL');
});

async function spawnRole(script: string, readyLines: Record<ProcessRole, string>, role: ProcessRole, env: Record<string, string>, opts: { readyTimeoutMs?: number; loader?: boolean }): Promise<AppProcess> {
  // The node options `npm start` gives (its heap limit), then BENCH_NODE_ARGS (e.g. "--cpu-prof
  // --cpu-prof-dir=/tmp/prof"), for profiles or to try another option: the later of two wins.
  const nodeArgs = [...startNodeArgs(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const loader = opts.loader === false ? [] : ['--import', 'tsx'];
  const child = spawn(process.execPath, [...nodeArgs, ...loader, script, '--role', role], {
    cwd: ROOT,
    env: { ...process.env, ...env, LOG_LEVEL: env.LOG_LEVEL ?? "info" },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString('utf8')).slice(-65536);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  running.add(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      child.kill('SIGKILL');
      reject(new Error(`${role} process did not become ready in time; output:\n${out.slice(-3000)}`));
    }, opts.readyTimeoutMs ?? 90_000); // a start-up on a loaded 2-core machine (the classifier, tsx) can take tens of seconds
    const onData = () => {
      if (out.includes(readyLines[role])) {
        cleanup();
        resolve();
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`${role} process exited (${code}) before it was ready; output:\n${out.slice(-3000)}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.stderr!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', onExit);
    onData();
  });

  const pid = child.pid!;
  let alive = true;
  void exited.then(() => (alive = false));
  return {
    role,
    pid,
    child,
    exited,
    output: () => out,
    peakRssMb() {
      return alive ? peakRssOf(pid) : 0;
    },
    cpuMs() {
      return alive ? processTree(pid).reduce((sum, p) => sum + cpuMsOf(p), 0) : 0;
    },
    peakRssTree() {
      return alive ? processTree(pid).map((p) => ({ pid: p, mb: peakRssOf(p) })).sort((a, b) => b.mb - a.mb) : [];
    },
    async stop(graceMs = 20_000) {
      if (!alive) return exited;
      child.kill('SIGTERM');
      const timer = setTimeout(() => alive && child.kill('SIGKILL'), graceMs);
      const r = await exited;
      clearTimeout(timer);
      return r;
    },
    async kill() {
      if (!alive) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}
