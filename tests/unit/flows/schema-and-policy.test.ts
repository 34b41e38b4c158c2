import fs from 'node:fs';
import path from 'node:path';
import { checkPolicy, loadFlowsDir, loadPolicy, parsePolicy, planTriage, PolicyError } from '../../../flows/engine';
import { schemaText, SCHEMA_FILE } from '../../../flows/engine/cli-schema';

test('flows/schema.json is what the engine types generate (run `npm run flows:schema` after changing them)', () => {
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
});

describe('policy', () => {
  const policy = loadPolicy();
  const base = { locale: 'zh' as const, riskLevel: 'medium' as const, warningCount: 1 };

  test('a flow per scam type; unknown types use the fallback', () => {
    expect(planTriage(policy, { ...base, scamType: 'impersonation_police' }).flowId).toBe('impersonation_police');
    expect(planTriage(policy, { ...base, scamType: 'other' }).flowId).toBe('fallback');
  });

  test('the flow, the escalation tier (the risk), no review for a first medium warning', () => {
    expect(planTriage(policy, { ...base, scamType: 'loan' })).toEqual({ flowId: 'loan', tier: 'medium', humanReview: false, reviewReasons: [], proposeVisit: false, visitReasons: [] });
  });

  test('escalation by risk: high calls, texts at once and calls again, then a relative, then a human with a visit', () => {
    expect(policy.escalation.high.ladder).toEqual([
      { contact: ['voice'], deadlineMinutes: 3 },
      { contact: ['text'], deadlineMinutes: 5 },
      { contact: ['voice'], deadlineMinutes: 3 },
      { relatives: true, deadlineMinutes: 10 },
    ]);
    expect(policy.escalation.high.unreachable).toEqual({ priority: 60, visit: true });
    // Medium and low: a call together with the written warning.
    expect(policy.escalation.medium.ladder[0]!.contact).toEqual(['voice', 'text']);
    expect(policy.escalation.low.ladder[0]!.contact).toEqual(['voice', 'text']);
    expect([policy.escalation.high.quietHours, policy.escalation.medium.quietHours, policy.escalation.low.quietHours]).toEqual(['nothing', 'calls', 'all']);
    expect(policy.quietHours).toEqual({ start: '21:00', end: '08:00' });
    expect(policy.followUp).toEqual({ afterDays: 3, outcomes: ['dissuaded', 'safe_aware'] });
  });

  test('a rung either contacts the person or asks a relative, and has a deadline', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../../flows/policy.yaml'), 'utf8');
    const broken = parsePolicy(text.replace('      - { contact: [voice], deadlineMinutes: 3 }\n      - { contact: [text], deadlineMinutes: 5 }', '      - { contact: [voice], relatives: true, deadlineMinutes: 3 }\n      - { contact: [text] }'), 'policy.yaml');
    expect(broken.issues.map((i) => i.message)).toEqual([
      'escalation.high.ladder.0: a rung either contacts the person (contact: [...]) or asks a relative (relatives: true)',
      'escalation.high.ladder.1.deadlineMinutes: Invalid input: expected number, received undefined',
    ]);
  });

  test('a policy written for the old contact ladder is refused with what replaced it', () => {
    expect(parsePolicy('version: 1\nchannels: { order: [sms] }\nretryMinutes: [5]\n', 'p.yaml').issues.map((i) => [i.message, i.fix])).toEqual([
      ["channels: no longer read; each risk tier's contact ladder is under escalation", 'replace channels/retryMinutes with escalation.<tier>.ladder (see the annotated flows/policy.yaml)'],
      ["retryMinutes: no longer read; each risk tier's contact ladder is under escalation", 'replace channels/retryMinutes with escalation.<tier>.ladder (see the annotated flows/policy.yaml)'],
    ]);
  });

  test('human review: high risk, 3+ warnings, amount over 50,000; visit: high risk with 3+ warnings, or over 200,000', () => {
    const p = planTriage(policy, { ...base, scamType: 'investment', riskLevel: 'high', warningCount: 3, amount: 60000 });
    expect(p).toMatchObject({ humanReview: true, reviewReasons: ['high_risk', 'repeat_warnings', 'large_amount'], proposeVisit: true, visitReasons: ['high_risk_repeat'] });
    expect(planTriage(policy, { ...base, scamType: 'investment', amount: 50000 })).toMatchObject({ humanReview: false, proposeVisit: false });
    expect(planTriage(policy, { ...base, scamType: 'investment', amount: 250000 })).toMatchObject({ reviewReasons: ['large_amount'], visitReasons: ['very_large_amount'] });
  });

  test('per-locale override', () => {
    const text = fs.readFileSync(path.resolve(__dirname, '../../../flows/policy.yaml'), 'utf8').replace('byLocale: {}', 'byLocale: { en: { loan: fallback } }');
    const p = parsePolicy(text, 'policy.yaml').policy!;
    expect(planTriage(p, { ...base, scamType: 'loan', locale: 'en' }).flowId).toBe('fallback');
    expect(planTriage(p, { ...base, scamType: 'loan', locale: 'zh' }).flowId).toBe('loan');
  });

  test('the checker finds unmapped scam types, unknown flows and schema errors', () => {
    const { flows } = loadFlowsDir();
    const text = fs
      .readFileSync(path.resolve(__dirname, '../../../flows/policy.yaml'), 'utf8')
      .replace('    sextortion: sextortion\n', '')
      .replace('loan: loan', 'loan: laon');
    const p = parsePolicy(text, 'policy.yaml').policy!;
    expect(checkPolicy(p, flows, 'policy.yaml').map((i) => [i.rule, i.message, i.fix])).toEqual([
      ['policy_unknown_flow', "flows.byScamType.loan names flow 'laon', which does not exist (or failed its checks)", expect.stringContaining("(did you mean 'loan'?)")],
      ['policy_unmapped_scam_type', "scam type 'sextortion' has no flow in flows.byScamType", 'add sextortion: <flow id> (use the fallback flow if there is no specific script)'],
    ]);
    expect(parsePolicy('version: 1\ncallbacks: { max: five }\n', 'p.yaml').issues.map((i) => i.rule)).toContain('policy_schema');
    expect(() => loadPolicy(path.resolve(__dirname, 'fixtures.ts'))).toThrow(PolicyError);
  });
});
