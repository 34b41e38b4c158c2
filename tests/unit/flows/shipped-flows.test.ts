// The shipped scripts: clean under every rule, their conversations pass, and every transition is exercised.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadFlowsDir, loadPolicy, checkPolicy, renderPrompts, startConversation, RELATIVE_FLOW_ID, RETURN_CONTACT_FLOW_ID } from '../../../flows/engine';
import { runFlowTests } from '../../../flows/engine/flow-tests';
import { SCAM_TYPES } from '../../../flows/engine/vocabulary';
import { SAMPLE_VARS_BY_LOCALE } from '../../../flows/engine/template';

const ROOT = path.resolve(__dirname, '../../..');
const { flows, issues } = loadFlowsDir();

test('every shipped flow passes every rule, warnings included', () => {
  expect(issues).toEqual([]);
  expect(checkPolicy(loadPolicy(), flows, 'policy.yaml')).toEqual([]);
  expect([...flows.keys()].sort()).toEqual(
    ['fallback', 'follow_up', 'gaming_trade', 'fake_customer_service', 'impersonation_police', 'investment', 'loan', 'pig_butchering', RELATIVE_FLOW_ID, 'relative_in_trouble', RETURN_CONTACT_FLOW_ID, 'scam_base', 'sextortion', 'task_rebate'].sort(),
  );
  const policy = loadPolicy();
  for (const t of SCAM_TYPES) expect(flows.get(policy.flows.byScamType[t]!)?.def.locales).toEqual(['zh', 'en']);
});

test('every opening warning fits in 3 SMS segments and states the case reference and call-back number', () => {
  for (const f of flows.values()) {
    for (const locale of ['zh', 'en'] as const) {
      const vars = SAMPLE_VARS_BY_LOCALE[locale];
      const start = startConversation(f, { channel: 'sms', locale, vars, facts: { riskLevel: 'high', warningCount: 1, attemptCount: 1, channel: 'sms' } });
      const sms = renderPrompts(start.prompts, 'sms');
      expect([f.id, locale, sms.channel === 'sms' && sms.segments <= 3]).toEqual([f.id, locale, true]);
      const text = start.prompts[0].text;
      expect([f.id, locale, text.includes(vars.case_ref), f.id === RETURN_CONTACT_FLOW_ID || text.includes(vars.callback_number)]).toEqual([f.id, locale, true, true]);
    }
  }
});

test('flow tests: every conversation passes and every transition of every flow is exercised', () => {
  const report = runFlowTests(flows);
  expect(report.failures).toEqual([]);
  for (const c of report.coverage) expect({ flow: c.flowId, missing: c.missing }).toEqual({ flow: c.flowId, missing: [] });
});

test('flow tests report a wrong expectation and an unexercised transition', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowtests-'));
  fs.writeFileSync(
    path.join(dir, 'loan.yaml'),
    'flow: loan\nconversations:\n  - name: wrong\n    turns:\n      - { reply: safe_aware, state: close_safe }\n',
  );
  const report = runFlowTests(flows, dir);
  expect(report.failures).toEqual([
    { file: path.relative(process.cwd(), path.join(dir, 'loan.yaml')), conversation: 'wrong', turn: 1, message: "expected state 'close_safe', got 'explain_tell' (via greet.on.safe_aware[0])" },
  ]);
  const loan = report.coverage.find((c) => c.flowId === 'loan')!;
  expect(loan).toMatchObject({ conversations: 1, covered: 1, total: loan.total });
  expect(loan.total).toBe(flows.get('loan')!.transitions.length);
  expect(loan.missing).toContain('*.on.already_paid[0]');
});

test('flows:check exits non-zero on a broken flow and names file, state, rule and fix', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowcheck-'));
  const file = path.join(dir, 'broken.yaml');
  const broken = fs.readFileSync(path.join(ROOT, 'flows/scam_base.yaml'), 'utf8').replace('  mid_scam: stop_paying\n', '  mid_scam: greet\n');
  fs.writeFileSync(file, broken);
  // 1-based line of a text; a state's issue points at the first line of its body.
  const lineOf = (text: string) => broken.split('\n').indexOf(text) + 1;
  const r = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'flows/engine/cli-check.ts', file], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe(
    [
      `${file}:${lineOf('  stop_paying:') + 1} state 'stop_paying': error [unreachable_state] state 'stop_paying' cannot be reached from the start state 'greet'`,
      '    fix: add a transition with target: stop_paying, or delete the state',
      `${file}:${lineOf('  mid_scam: greet')} state 'greet': error [at_risk_without_handoff] in state 'greet', a 'mid_scam' reply takes flow-level on.mid_scam[0], which does not hand off: a person still in a scam would be left without a human`,
      '    fix: add { type: handoff, reason: mid_scam } to its actions, or target a state whose entry hands off',
      '2 error(s), 0 warning(s)',
      '',
    ].join('\n'),
  );
  const ok = execFileSync(process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'flows/engine/cli-check.ts'], { cwd: ROOT, encoding: 'utf8' });
  expect(ok.trim()).toBe('ok: every flow and policy.yaml');
});
