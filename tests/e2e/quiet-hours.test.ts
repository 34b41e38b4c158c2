// Quiet hours on the running system: a medium-risk warning (the test policy holds calls and texts for
// that tier) waits for the window's end; a high-risk one (holds nothing) is called at once. The window is placed around the current time so the test holds at any hour.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NO_QUIET_POLICY, startE2E, warn, caseRow, type E2E } from './helpers';
import { eventually } from '../support/stack';

const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;

describe('quiet hours', () => {
  let e: E2E;
  let dir: string;
  let end: Date;
  beforeAll(async () => {
    // Local time = UTC here (CENTRE_UTC_OFFSET_MINUTES=0): quiet from an hour ago until two hours from now.
    const now = Date.now();
    end = new Date(now + 2 * 3600_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-quiet-'));
    const policy = path.join(dir, 'policy.yaml');
    fs.writeFileSync(policy, `${fs.readFileSync(NO_QUIET_POLICY, 'utf8')}\nquietHours: { start: "${hhmm(new Date(now - 3600_000))}", end: "${hhmm(end)}" }\n`);
    e = await startE2E({ env: { POLICY_FILE: policy, CENTRE_UTC_OFFSET_MINUTES: '0' } });
  });
  afterAll(async () => {
    await e?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('holds a medium-risk contact until the window ends and calls a high-risk person at once', async () => {
    const net = e.stack.network.control;
    const medium = '+8613900139091';
    const high = '+8613900139092';
    const m = await warn(e.stack, { phone: medium, riskLevel: 'medium' });
    await warn(e.stack, { phone: high, riskLevel: 'high' });

    const call = await net.waitForCall(high, { timeoutMs: 15000 });
    expect(call.to).toBe(high);

    const held = await eventually(async () => {
      const row = await caseRow(e, m.caseId);
      return row.lifecycle && row.next_action === 'contact' ? row : undefined;
    }, 'the medium case to be planned');
    const due = new Date(held.next_action_at!);
    expect(hhmm(due)).toBe(hhmm(end));
    expect(due.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    expect(await net.inbox(medium)).toEqual([]);
    expect(await net.calls(medium)).toEqual([]);
  });
});
