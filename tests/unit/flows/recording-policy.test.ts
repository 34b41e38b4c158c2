// The call-recording switch in the policy: off as shipped, off when absent, and checked like the rest.
import fs from 'node:fs';
import { loadPolicy, parsePolicy, POLICY_FILE } from '../../../flows/engine/policy';

describe('recording policy', () => {
  it('ships off, with the notice the citizen would hear in both languages', () => {
    const p = loadPolicy();
    expect(p.recording).toEqual({ enabled: false, notice: { zh: '您好，为了核实和改进我们的工作，本次通话将被录音。', en: 'Hello. This call is recorded so that we can check and improve our work.' } });
  });

  it('is off when a policy says nothing, and a bad switch is named', () => {
    const shipped = fs.readFileSync(POLICY_FILE, 'utf8');
    const without = shipped.slice(0, shipped.indexOf('\n# Warning calls recorded'));
    expect(parsePolicy(without, 'p.yaml').policy?.recording).toBeUndefined();
    const bad = parsePolicy(`${without}\nrecording: { enabled: "yes", notice: { zh: "录音", en: "" } }\n`, 'p.yaml');
    expect(bad.issues.map((i) => i.message)).toEqual(['recording.enabled: Invalid input: expected boolean, received string', 'recording.notice.en: Too small: expected string to have >=1 characters']);
  });
});
