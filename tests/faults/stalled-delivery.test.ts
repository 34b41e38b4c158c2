// A worker freezes (SIGSTOP: a long GC pause, a VM stall) while it sends reply prompts. bull sees its jobs
// stall and gives them to another worker; then the first one wakes up and finishes what it was doing.
// Every reply must still get exactly one answer.
import path from 'node:path';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { faultDatabase, faultFigures, reconcile, reportFigures, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/sms-only.yaml');
jest.setTimeout(180_000);

describe('a delivery re-run after its worker stalled', () => {
  let stack: ProcessStack;
  let frozenPid: number | undefined;
  beforeAll(async () => {
    stack = await startProcessStack({ roles: ['web', 'worker'], db: faultDatabase(), env: { POLICY_FILE: POLICY, OUTBOX_SWEEP_MS: '500', OUTBOX_CLAIM_STALE_MS: '15000', PROVIDER_CONFIRM_WAIT_MS: '1000' } });
  });
  afterAll(async () => {
    if (frozenPid) process.kill(frozenPid, 'SIGCONT');
    await stack?.stop();
  });

  it('answers every reply once, whichever worker sends it', async () => {
    const net = stack.network.control;
    const ws = Array.from({ length: 6 }, (_, i) => warningFor('stall', i));
    const r = await stack.api('POST', '/api/warnings', 'intake', { warnings: ws });
    expect(r.body).toMatchObject({ accepted: 6 });
    for (const w of ws) await net.waitForSms(w.phone, { timeoutMs: 30_000 });

    const worker = stack.processes.find((p) => p.role === 'worker')!;
    const phones = new Set(ws.map((w) => w.phone));
    // Freeze the worker the moment its first reply prompt reaches Twilio, before it reads the answer.
    const frozen = new Promise<void>((resolve) => {
      const onChange = (e: { kind: string; keys: string[] }) => {
        if (e.kind !== 'sms') return;
        const prompt = stack.network.state.messages.find((m) => phones.has(m.to) && m.direction === 'outbound-api' && stack.network.state.messages.some((x) => x.from === m.to && x.seq < m.seq));
        if (!prompt) return;
        stack.network.state.events.off('change', onChange);
        process.kill(worker.pid, 'SIGSTOP');
        frozenPid = worker.pid;
        resolve();
      };
      stack.network.state.events.on('change', onChange);
    });
    await Promise.all(ws.map((w) => net.sendSms(w.phone, '没有，我没转过钱')));
    await frozen;

    // Another worker takes over the stalled jobs once their locks expire (30 s); then the frozen one wakes.
    await stack.spawn('worker');
    const answered = () => ws.every((w) => stack.network.state.messages.filter((m) => m.to === w.phone).length >= 2);
    await eventually(async () => answered(), 'an answer to every reply from the new worker', 120_000);
    process.kill(worker.pid, 'SIGCONT');
    frozenPid = undefined;
    await new Promise((res) => setTimeout(res, 5000)); // the woken worker finishes whatever it held

    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, ws.map((w) => w.externalId))).toEqual({ warnings: 6, problems: [] });
      const figures = await faultFigures(store.db, stack.network, ws.map((w) => w.externalId), 1);
      reportFigures('delivery re-run after a stalled (SIGSTOPped) worker', figures);
      // The warning and one answer each: nobody got an answer twice.
      expect(ws.map((w) => [w.phone, stack.network.state.messages.filter((m) => m.to === w.phone).length])).toEqual(ws.map((w) => [w.phone, 2]));
      expect(figures).toMatchObject({ accepted: 6, contacted: 6, duplicated: 0, lost: 0, problems: [] });
    } finally {
      await store.close();
    }
  });
});
