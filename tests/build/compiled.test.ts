// The production build: `npm run build` compiles to dist/, and what `npm start` runs — plain node on the
// compiled JavaScript, no tsx — serves the consoles (bundled at build time, not at start), seeds the flows, loads the trained model and works
// a warning end to end on the local phone network.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startNodeArgs } from '../../bench/app-process';
import { deleteRedisPrefix, eventually, prepareLocalRun, type LocalRun } from '../support/stack';

jest.setTimeout(300_000);
const ROOT = path.resolve(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

describe('the compiled build', () => {
  let run: LocalRun;
  let app: ReturnType<typeof spawn> | undefined;
  let output = '';
  afterAll(async () => {
    if (app && app.exitCode === null) {
      app.kill('SIGKILL');
      await new Promise((r) => app!.once('exit', r));
    }
    await run?.network.close();
    if (run) await deleteRedisPrefix(run.prefix);
    await run?.db.cleanup();
  });

  it('builds with npm run build, and npm start runs the compiled JavaScript with node', async () => {
    // Plain node on the compiled JavaScript, with a heap limit: without one V8 sizes the heap for this machine's
    // memory and a process peaks at 330–345 MB in the bench; with it, about 200 (docs/performance.md).
    expect(pkg.scripts.start).toMatch(/^node --max-old-space-size=\d+ dist\/server\/main\.js$/);
    expect(pkg.scripts.dev).toBe('tsx server/main.ts');
    const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect([build.status, build.stderr]).toEqual([0, '']);
    for (const f of ['server/main.js', 'server/retention/cli.js', 'server/cli/user-add.js', 'web/desk/index.html', 'web/shared/login.html', 'flows/fallback.yaml', 'flows/policy.yaml', 'flows/tests/scam_base.yaml', 'nlu-models/model.json'])
      expect([f, fs.existsSync(path.join(ROOT, 'dist', f))]).toEqual([f, true]);

    // The shipped policy has quiet hours; this run must text at any hour.
    run = await prepareLocalRun({ env: { LOG_LEVEL: 'info', POLICY_FILE: path.join(ROOT, 'tests/support/policies/no-quiet-hours.yaml') } });
    const options = startNodeArgs();
    const script = pkg.scripts.start.split(' ')[options.length + 1]!;
    // From another working directory: the compiled code finds its files beside itself, not in the cwd.
    app = spawn(process.execPath, [...options, path.join(ROOT, script), '--role', 'all'], { cwd: '/', env: { PATH: process.env.PATH, ...run.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    app.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    app.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    await eventually(async () => output.includes('quanzu workers started') || (app!.exitCode !== null && Promise.reject(new Error(output))), 'the compiled app to start', 60_000);
    expect(output).not.toMatch(/trained|training/i);
    // The consoles' bundles ship built for dist/: the start serves them as they are, with no esbuild (a dev
    // dependency a production install leaves out) at run time.
    expect(output).not.toMatch(/built the consoles/);

    const get = (p: string, key?: string) => fetch(`${run.appUrl}${p}`, key ? { headers: { Authorization: `Bearer ${key}` } } : {});
    expect(await (await get('/healthz')).json()).toEqual({ ok: true });
    expect(await (await get('/desk/')).text()).toContain('<html');
    expect((await get('/login')).status).toBe(200);
    const flows = (await (await get('/api/flows', run.creds.keys.manager)).json()) as { flows: { id: string }[] };
    expect(flows.flows.map((f) => f.id)).toEqual(expect.arrayContaining(['fallback', 'pig_butchering', 'relative', 'return_contact']));

    const phone = '+8613900139201';
    const w = await fetch(`${run.appUrl}/api/warnings`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${run.creds.keys.intake}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ source: 'province-centre', externalId: 'BUILD-1', phone, scamType: 'other', riskLevel: 'medium', locale: 'zh' }),
    });
    const accepted = (await w.json()) as { caseRef: string; caseId: string };
    expect(w.status).toBe(202);
    await run.network.control.waitForSms(phone, { timeoutMs: 30_000, contains: accepted.caseRef });
    // A reply is classified by the model loaded from dist/: money already sent opens a handoff.
    await run.network.control.sendSms(phone, '我已经转了5000块');
    const store = await run.db.open();
    try {
      const handoff = await eventually(async () => store.db.selectFrom('handoffs').select('reason').where('case_id', '=', accepted.caseId).executeTakeFirst(), 'a handoff from the classified reply');
      expect(handoff.reason).toBe('already_paid');
    } finally {
      await store.close();
    }

    app.kill('SIGTERM');
    const code = await new Promise((r) => app!.once('exit', r));
    expect(code).toBe(0);
  });
});
