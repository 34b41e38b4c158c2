// A worker process is SIGKILLed while it places a call: its send is taken over by another worker, and the
// citizen's phone rings once, not twice (the outbox row was claimed before the call; whoever finds it claimed
// and gone quiet confirms it with Twilio — its status callback, or a look-up — before anything else).
import path from 'node:path';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { eventually } from '../support/stack';
import { contactedTwice, reconcile, warningFor } from './reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/no-quiet-hours.yaml');
jest.setTimeout(120_000);

describe('a worker killed mid-job', () => {
  let stack: ProcessStack;
  beforeAll(async () => {
    // The phone keeps ringing for the whole test, so the call stays the case's current attempt.
    stack = await startProcessStack({ roles: ['web', 'worker'], ringMs: 110_000, env: { POLICY_FILE: POLICY, LOG_LEVEL: 'debug', OUTBOX_SWEEP_MS: '500', OUTBOX_CLAIM_STALE_MS: '15000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('retries the job on another worker and the citizen gets one call, not two', async () => {
    const worker = stack.processes.find((p) => p.role === 'worker')!;
    const w = warningFor('kill', 1, { riskLevel: 'high' });
    // Kill the worker the moment its call reaches the provider: before it records the result or finishes the job.
    const killed = new Promise<void>((resolve) => {
      const onChange = (e: { kind: string; keys: string[] }) => {
        if (e.kind !== 'call' || !e.keys.includes(w.phone)) return;
        stack.network.state.events.off('change', onChange);
        void worker.kill().then(resolve);
      };
      stack.network.state.events.on('change', onChange);
    });
    const accepted = await stack.api('POST', '/api/warnings', 'intake', w);
    expect(accepted.status).toBe(202);
    await killed;
    expect(stack.network.state.calls.filter((c) => c.to === w.phone)).toHaveLength(1);

    const store = await stack.db.open();
    try {
      const caseId = accepted.body.caseId as string;
      const call = stack.network.state.calls.find((c) => c.to === w.phone)!;
      // The killed worker never recorded its call; the call's own status callback names the outbox row.
      const replacement = await stack.spawn('worker');
      const row = await eventually(async () => {
        const r = await store.db.selectFrom('outbox').selectAll().where('case_id', '=', caseId).executeTakeFirst();
        return r?.status === 'sent' ? r : undefined;
      }, 'the call confirmed as sent', 80_000);
      expect(row.provider_id).toBe(call.sid);
      // Past the claim's stale window and several sweeps: the new worker places no second call.
      await new Promise((r) => setTimeout(r, 20_000));
      expect(replacement.child.exitCode).toBeNull();
      const attempts = await store.db.selectFrom('contact_attempts').select(['channel', 'attempt_no', 'provider_id']).where('case_id', '=', caseId).execute();
      // One call (it rings out unanswered after Twilio's 30 s, and the ladder's next rung texts: that is not a second call).
      expect(attempts.filter((a) => a.channel === 'voice')).toEqual([{ channel: 'voice', attempt_no: 1, provider_id: call.sid }]);
      expect(contactedTwice(stack.network, [w.phone])).toEqual([]);
      expect(stack.network.state.calls.filter((c) => c.to === w.phone)).toHaveLength(1);
      expect(await reconcile(store.db, [w.externalId])).toEqual({ warnings: 1, problems: [] });
    } finally {
      await store.close();
    }
  });
});
