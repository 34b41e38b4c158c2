// The release gate on a throwaway fixture in the test set's format: it refuses a candidate that misses more
// at-risk replies or costs more, promotes one that does not, and records the figures per model version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideRelease, gateMain } from '../../../nlu-models/src/gate';
import type { TestOutcome } from '../../../nlu-models/src/eval';
import { readReleases } from '../../../nlu-models/src/releases';
import { DEFAULT_MODEL_FILE, readModelFile, writeModelFile } from '../../../nlu-models/src/model-file';
import { loadCorpus } from '../../../nlu-models/src/corpus';
import { trainModel } from '../../../nlu-models/src/train-model';
import { isAtRisk, type Intent } from '../../../nlu-models/src/intents';

const FIXTURE = path.join(__dirname, 'fixtures', 'testset');

const row = (ref: string, locale: 'zh' | 'en', truth: Intent, predicted: Intent): TestOutcome => ({
  ref,
  locale,
  channel: 'sms',
  hard: null,
  truth,
  predicted,
  atRisk: isAtRisk(predicted),
  lowConfidence: false,
});

describe('release rule', () => {
  const current = [
    row('zh#0', 'zh', 'mid_scam', 'mid_scam'),
    row('zh#1', 'zh', 'already_paid', 'already_paid'),
    row('en#0', 'en', 'mid_scam', 'mid_scam'),
    row('en#1', 'en', 'already_paid', 'safe_aware'),
    row('en#2', 'en', 'safe_aware', 'safe_aware'),
    row('en#3', 'en', 'distrust', 'mid_scam'),
  ];

  it('refuses a candidate that misses an at-risk reply the current model caught, even if it gains elsewhere', () => {
    const candidate = [...current];
    candidate[0] = row('zh#0', 'zh', 'mid_scam', 'busy_later');
    candidate[3] = row('en#1', 'en', 'already_paid', 'already_paid');
    const d = decideRelease(current, candidate);
    expect(d.accepted).toBe(false);
    // Overall recall holds (3 of 4 either way), zh falls: the locale alone is enough to refuse.
    expect(d.reason).toBe('refused: at-risk recall falls (zh 1.000 → 0.500 (0 → 1 missed)); a release may never miss more people at risk');
  });

  it('refuses a candidate that keeps recall but raises more false alarms', () => {
    const candidate = [...current];
    candidate[4] = row('en#2', 'en', 'safe_aware', 'mid_scam');
    const d = decideRelease(current, candidate);
    expect(d).toEqual({ accepted: false, reason: 'refused: the cost-weighted score is worse, 11 → 12 (10 per missed at-risk reply, 1 per false alarm: 1 → 2 false alarms)' });
  });

  it('accepts a candidate that finds the missed victim at the price of false alarms under ten', () => {
    const candidate = [...current];
    candidate[3] = row('en#1', 'en', 'already_paid', 'already_paid');
    candidate[4] = row('en#2', 'en', 'safe_aware', 'mid_scam');
    const d = decideRelease(current, candidate);
    expect(d.accepted).toBe(true);
    expect(d.reason).toBe('accepted: at-risk recall kept or raised (0.750 → 1.000), cost 11 → 2, accuracy 0.667 → 0.667');
  });
});

describe('npm run nlu:gate', () => {
  let dir: string;
  let current: string;
  let history: string;
  const out: string[] = [];
  const print = (s: string) => void out.push(s);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-gate-'));
    current = path.join(dir, 'model.json');
    history = path.join(dir, 'releases.json');
    fs.copyFileSync(DEFAULT_MODEL_FILE, current);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('cannot decide without a candidate or a test set, and says why', () => {
    out.length = 0;
    expect(gateMain(['--candidate', path.join(dir, 'none.json'), '--current', current, '--testset', FIXTURE, '--history', history], print)).toBe(2);
    expect(out.join('')).toBe(`nlu:gate: cannot decide: the candidate ${path.join(dir, 'none.json')} does not exist (train one with \`npm run train -- --with-corrections\`)\n`);
    out.length = 0;
    expect(gateMain(['--candidate', current, '--current', current, '--testset', path.join(dir, 'no-testset'), '--history', history], print)).toBe(2);
    expect(out.join('')).toMatch(/cannot decide: the frozen test set .* is missing/);
    expect(fs.existsSync(history)).toBe(false);
  });

  it('refuses a model that never learnt what at risk sounds like, keeps the current one, and records both', async () => {
    const base = readModelFile(current);
    const blind = await trainModel(
      loadCorpus('corpus').filter((u, i) => !isAtRisk(u.intent) && i % 3 === 0),
      { calibration: base.calibration },
    );
    const candidate = path.join(dir, 'candidate.json');
    writeModelFile(candidate, blind);
    out.length = 0;
    const code = gateMain(['--candidate', candidate, '--current', current, '--testset', FIXTURE, '--history', history], print);
    const text = out.join('');
    expect(code).toBe(1);
    expect(text).toMatch(/nlu:gate: refused: at-risk recall falls \(overall /);
    expect(text).toContain(`| current \`${base.modelVersion}\` | testset | 28 |`);
    expect(readModelFile(current).modelVersion).toBe(base.modelVersion);
    expect(fs.existsSync(candidate)).toBe(true);
    const releases = readReleases(history);
    expect(releases.map((r) => [r.modelVersion, r.decision, r.comparedWith])).toEqual([
      [base.modelVersion, 'current', null],
      [blind.modelVersion, 'refused', base.modelVersion],
    ]);
    expect(releases[1]!.test.all.n).toBe(28);
    expect(releases[1]!.test.all.riskRecall!).toBeLessThan(releases[0]!.test.all.riskRecall!);
  }, 120_000);

  it('measures on every frozen set given, each apart and all together', () => {
    const second = path.join(dir, 'testset-2');
    fs.mkdirSync(second, { recursive: true });
    for (const l of ['zh', 'en']) fs.copyFileSync(path.join(FIXTURE, `${l}.yaml`), path.join(second, `${l}.yaml`));
    const version = readModelFile(current).modelVersion;
    out.length = 0;
    expect(gateMain(['--candidate', current, '--current', current, '--testset', FIXTURE, '--testset', second, '--history', history, '--check'], print)).toBe(0);
    const text = out.join('');
    expect(text).toContain(`| current \`${version}\` | testset | 28 |`);
    expect(text).toContain(`| current \`${version}\` | testset-2 | 28 |`);
    expect(text).toContain(`| candidate \`${version}\` | all sets | 56 |`);
    out.length = 0;
    expect(gateMain(['--candidate', current, '--current', current, '--testset', path.join(dir, 'no-testset-3'), '--testset', second, '--history', history], print)).toBe(2);
    expect(out.join('')).toMatch(/cannot decide: the frozen test set .*no-testset-3 .*is missing/);
  }, 120_000);

  it('promotes a candidate that is no worse, and adds it to the figures per version', () => {
    const base = readModelFile(current);
    const same = { ...base, modelVersion: 'nlu-0123456789ab' };
    const candidate = path.join(dir, 'candidate.json');
    writeModelFile(candidate, same);
    out.length = 0;
    expect(gateMain(['--candidate', candidate, '--current', current, '--testset', FIXTURE, '--history', history, '--check'], print)).toBe(0);
    expect(fs.existsSync(candidate)).toBe(true);
    expect(readReleases(history)).toHaveLength(2);
    out.length = 0;
    expect(gateMain(['--candidate', candidate, '--current', current, '--testset', FIXTURE, '--history', history], print)).toBe(0);
    expect(out.join('')).toMatch(/nlu:gate: accepted: at-risk recall kept or raised/);
    expect(readModelFile(current).modelVersion).toBe('nlu-0123456789ab');
    expect(fs.existsSync(candidate)).toBe(false);
    expect(readReleases(history).map((r) => [r.modelVersion, r.decision])).toEqual([
      [base.modelVersion, 'current'],
      [expect.any(String), 'refused'],
      ['nlu-0123456789ab', 'accepted'],
    ]);
  }, 60_000);
});
