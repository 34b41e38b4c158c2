// A worker process is SIGKILLed while it places a call: the job is retried by another worker, and the
// citizen's phone rings once, not twice (the contact attempt's dedupe key is written before the call).
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
    stack = await startProcessStack({ roles: ['web', 'worker'], ringMs: 110_000, env: { POLICY_FILE: POLICY, LOG_LEVEL: 'debug' } });
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
      const before = await store.db.selectFrom('cases').select(['next_action']).where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(before.next_action).toBe('contact'); // the killed job did not get to record its call

      const replacement = await stack.spawn('worker');
      // bull hands the stalled job to the new worker once the dead one's lock expires (30 s). By then the
      // unanswered call may have moved the case on (retry later): either way the job must not call again.
      const done = new RegExp(`"jobId":"contact:${caseId}:[^"]+","result":"([^"]+)"`);
      const result = await eventually(async () => done.exec(replacement.output())?.[1], 'the contact job retried on the new worker', 80_000);
      expect(['attempt already made: confirming', 'stale']).toContain(result);
      const attempts = await store.db.selectFrom('contact_attempts').select(['channel', 'attempt_no']).where('case_id', '=', caseId).execute();
      expect(attempts).toEqual([{ channel: 'voice', attempt_no: 1 }]);
      expect(contactedTwice(stack.network, [w.phone])).toEqual([]);
      expect(stack.network.state.calls.filter((c) => c.to === w.phone)).toHaveLength(1);
      expect(await reconcile(store.db, [w.externalId])).toEqual({ warnings: 1, problems: [] });
    } finally {
      await store.close();
    }
  });
});
