// A worker is SIGKILLed after the case decided to send the warning and saved it, while its request is on
// its way to Twilio (the request never arrives: the connection dies with the process). Another worker must
// still send the warning, once, soon — not leave it for a timer half an hour later that nobody watches.
import path from 'node:path';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { faultDatabase, faultFigures, reconcile, reportFigures, runSize, settleOrReport, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(150_000 + runSize(4) * 600);

describe('a worker killed between the decision and the provider call', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    stack = await startProcessStack({ roles: ['web', 'worker'], db: faultDatabase(), env: { POLICY_FILE: POLICY, OUTBOX_SWEEP_MS: '500', OUTBOX_CLAIM_STALE_MS: '15000', PROVIDER_CONFIRM_WAIT_MS: '1000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('sends the saved warning from another worker, exactly once', async () => {
    const worker = stack.processes.find((p) => p.role === 'worker')!;
    const ws = Array.from({ length: runSize(4) }, (_, i) => warningFor('decision-kill', i));
    // The first person's warning request is held by the network and never carried out; the worker dies holding it.
    await stack.network.control.setBehaviour(ws[0]!.phone, { apiFault: { kind: 'timeout', count: 1 } });
    const held = new Promise<void>((resolve) => {
      const onChange = () => {
        if (!stack.network.state.apiRequests.some((r) => r.fault === 'timeout')) return;
        stack.network.state.events.off('change', onChange);
        void worker.kill().then(resolve);
      };
      stack.network.state.events.on('change', onChange);
    });
    const r = await stack.api('POST', '/api/warnings', 'intake', { warnings: ws });
    expect(r.body).toMatchObject({ accepted: ws.length });
    await held;
    expect(stack.network.state.messages.filter((m) => m.to === ws[0]!.phone)).toHaveLength(0);

    await stack.spawn('worker');
    const name = `worker SIGKILLed between decision and provider call, ${ws.length} warnings`;
    const ids = ws.map((w) => w.externalId);
    await settleOrReport(name, () => stack.db.open(), stack.network, ids, 1, eventually(async () => ws.every((w) => stack.network.state.messages.some((m) => m.to === w.phone)), 'a warning SMS to every warned person', 100_000 + ws.length * 500));
    await new Promise((res) => setTimeout(res, 3000)); // a few more sweeps: nothing is sent again

    const store = await stack.db.open();
    try {
      expect(await reconcile(store.db, ids)).toEqual({ warnings: ws.length, problems: [] });
      const figures = await faultFigures(store.db, stack.network, ids, 1);
      reportFigures(name, figures);
      expect(figures).toMatchObject({ accepted: ws.length, contacted: ws.length, duplicated: 0, lost: 0, problems: [] });
      for (const w of ws) expect(stack.network.state.messages.filter((m) => m.to === w.phone)).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
