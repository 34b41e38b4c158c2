// Split roles as separate OS processes: the web process, which answers replies with the next prompt, holds
// the reply classifier; the worker, which places contacts, never loads it (it would cost every worker the
// model's memory for nothing).
import fs from 'node:fs';
import path from 'node:path';
import { startNodeArgs } from '../../bench/app-process';
import { startProcessStack, type ProcessStack } from '../../bench/process-stack';
import { freePort } from '../support/stack';
import { warningFor } from '../faults/reconcile';

const POLICY = path.resolve(__dirname, '../support/policies/sms-only.yaml');
jest.setTimeout(90_000);

describe('web + worker processes', () => {
  let stack: ProcessStack;
  let workerMetrics: string;
  beforeAll(async () => {
    const port = await freePort();
    workerMetrics = `http://127.0.0.1:${port}/metrics`;
    stack = await startProcessStack({ roles: ['web', 'worker'], env: { POLICY_FILE: POLICY, LOG_LEVEL: 'debug', WORKER_METRICS_PORT: String(port) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const metrics = async (url: string) => (await fetch(url, { headers: { authorization: `Bearer ${stack.env.QUANZU_API_KEYS!.match(/manager:([^,]+)/)![1]}` } })).text();

  it('classifies replies in the web process only; the worker does the outreach without the classifier', async () => {
    const w = warningFor('roles', 1);
    const r = await stack.api('POST', '/api/warnings', 'intake', w);
    expect(r.status).toBe(202);
    const net = stack.network.control;
    await net.waitForSms(w.phone, { timeoutMs: 30_000 });
    await net.sendSms(w.phone, '我已经转了两万了');
    const c = await stack.api('GET', `/api/cases/${r.body.caseId}`, 'desk');
    const inbound = c.body.transcript.filter((m: { direction: string }) => m.direction === 'in');
    expect(inbound).toMatchObject([{ intent: 'already_paid', atRisk: true }]);

    const worker = stack.processes.find((p) => p.role === 'worker')!;
    expect(worker.output()).toMatch(/"queue":"delivery"[^\n]*"msg":"job done"/);
    expect(await metrics(`${stack.appUrl}/metrics`)).toContain('quanzu_classifier_loaded 1');
    expect(await metrics(workerMetrics)).toContain('quanzu_classifier_loaded 0');
  });

  it("runs each process with npm start's node options (its heap limit), as production does", () => {
    expect(startNodeArgs()).toEqual([expect.stringMatching(/^--max-old-space-size=\d+$/)]);
    for (const p of stack.processes) {
      const argv = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0');
      expect(argv).toEqual(expect.arrayContaining(startNodeArgs()));
    }
  });
});
