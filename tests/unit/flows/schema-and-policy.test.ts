import fs from 'node:fs';
import path from 'node:path';
import { checkPolicy, loadFlowsDir, loadPolicy, parsePolicy, planTriage, PolicyError } from '../../../flows/engine';
import { schemaText, SCHEMA_FILE } from '../../../flows/engine/cli-schema';

test('flows/schema.json is what the engine types generate (run `npm run flows:schema` after changing them)', () => {
  expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(schemaText());
});

describe('policy', () => {
  const policy = loadPolicy();
  const base = { locale: 'zh' as const, riskLevel: 'medium' as const, warningCount: 1, hasTelegram: false, hasRelatives: true };

  test('a flow per scam type; unknown types use the fallback', () => {
    expect(planTriage(policy, { ...base, scamType: 'impersonation_police' }).flowId).toBe('impersonation_police');
    expect(planTriage(policy, { ...base, scamType: 'other' }).flowId).toBe('fallback');
  });

  test('channels in order, Telegram only with a chat; retries 5, 30, 120 minutes; quiet hours', () => {
    expect(planTriage(policy, { ...base, scamType: 'loan' })).toEqual({
      flowId: 'loan',
      channels: ['voice', 'sms'],
      retryMinutes: [5, 30, 120],
      humanReview: false,
      reviewReasons: [],
      proposeVisit: false,
      visitReasons: [],
      quietHours: { start: '21:00', end: '08:00', overrideForHighRisk: true },
    });
    expect(planTriage(policy, { ...base, scamType: 'loan', hasTelegram: true }).channels).toEqual(['voice', 'sms', 'telegram']);
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
    expect(parsePolicy('version: 1\nretryMinutes: [five]\n', 'p.yaml').issues.map((i) => i.rule)).toContain('policy_schema');
    expect(() => loadPolicy(path.resolve(__dirname, 'fixtures.ts'))).toThrow(PolicyError);
  });
});
