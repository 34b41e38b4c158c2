// A worker process is SIGKILLed while it places a call: another worker takes the send over, and the
// citizen's phone rings once, not twice (the outbox row is claimed before the call, and a claim whose worker
// went quiet is confirmed with the provider before anything is sent again).
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
    stack = await startProcessStack({ roles: ['web', 'worker'], ringMs: 110_000, env: { POLICY_FILE: POLICY, LOG_LEVEL: 'debug', OUTBOX_SWEEP_MS: '500', OUTBOX_CLAIM_STALE_MS: '11000' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('another worker takes the send over and the citizen gets one call, not two', async () => {
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
      const call = await store.db.selectFrom('outbox').select(['id', 'status']).where('case_id', '=', caseId).where('kind', '=', 'call').executeTakeFirstOrThrow();
      // The killed worker did not record its call; the call's own status callback may have since.
      expect(['sending', 'sent']).toContain(call.status);

      const replacement = await stack.spawn('worker');
      // bull hands the stalled send to the new worker once the dead one's lock expires (30 s); it must find the
      // call made (by the callback, or by asking the provider), never place it again.
      const done = new RegExp(`"jobId":"outbox:${call.id}:[^"]+","result":"([^"]+)"`);
      const result = await eventually(async () => done.exec(replacement.output())?.[1], 'the stalled send re-run on the new worker', 80_000);
      expect(result).toMatch(/^(sent|confirmed by (its status callback|look-up) .*)$/);
      expect((await store.db.selectFrom('outbox').select('status').where('id', '=', call.id).executeTakeFirstOrThrow()).status).toBe('sent');
      // One call attempt (the high-risk tier's written warning is its own attempt, by SMS).
      const calls = await store.db.selectFrom('contact_attempts').select(['channel', 'attempt_no']).where('case_id', '=', caseId).where('channel', '=', 'voice').execute();
      expect(calls).toEqual([{ channel: 'voice', attempt_no: 1 }]);
      expect(contactedTwice(stack.network, [w.phone])).toEqual([]);
      expect(stack.network.state.calls.filter((c) => c.to === w.phone)).toHaveLength(1);
      expect(await reconcile(store.db, [w.externalId])).toEqual({ warnings: 1, problems: [] });
    } finally {
      await store.close();
    }
  });
});
