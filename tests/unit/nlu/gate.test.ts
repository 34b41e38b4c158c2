// The release gate on a throwaway fixture in the test set's format: it refuses a candidate that misses more
// at-risk replies, leaves a locale worse off beyond chance, or costs more, promotes one that does not, and records the figures per model version.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideRelease, gateMain, signTestP } from '../../../nlu-models/src/gate';
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

  it('refuses a candidate that misses more at-risk replies overall', () => {
    const candidate = [...current];
    candidate[0] = row('zh#0', 'zh', 'mid_scam', 'busy_later');
    const d = decideRelease(current, candidate);
    expect(d).toEqual({ accepted: false, reason: 'refused: at-risk recall falls (overall 0.750 → 0.500, 1 → 2 missed); a release may never miss more people at risk' });
  });

  it('refuses a candidate below the 0.97 target in a locale, even when overall recall holds', () => {
    const candidate = [...current];
    candidate[0] = row('zh#0', 'zh', 'mid_scam', 'busy_later');
    candidate[3] = row('en#1', 'en', 'already_paid', 'already_paid');
    const d = decideRelease(current, candidate);
    expect(d.accepted).toBe(false);
    expect(d.reason).toContain('zh at-risk recall 1.000 → 0.500, below the 0.97 target');
  });

  describe('a locale that loses caught replies while the other gains more', () => {
    // 300 at-risk replies per locale: zh loses `lost` the current model caught and gains `gained`; en gains enough
    // that overall recall and cost hold, and both stay above the 0.97 target and within parity.
    const many = (lost: number, gained: number) => {
      const cur: TestOutcome[] = [];
      const cand: TestOutcome[] = [];
      for (let i = 0; i < 300; i++) {
        const zhCaughtBefore = !(i >= lost && i < lost + gained);
        const zhCaughtAfter = !(i < lost);
        cur.push(row(`zh#${i}`, 'zh', 'mid_scam', zhCaughtBefore ? 'mid_scam' : 'busy_later'));
        cand.push(row(`zh#${i}`, 'zh', 'mid_scam', zhCaughtAfter ? 'mid_scam' : 'busy_later'));
        const enMissedBefore = i < 6;
        cur.push(row(`en#${i}`, 'en', 'already_paid', enMissedBefore ? 'safe_aware' : 'already_paid'));
        cand.push(row(`en#${i}`, 'en', 'already_paid', 'already_paid'));
      }
      return decideRelease(cur, cand);
    };

    it('accepts losses chance explains (zh loses 4 and gains 2: sign test p 0.34)', () => {
      const d = many(4, 2);
      expect(d.accepted).toBe(true);
      expect(d.reason).toContain('zh 0.993 → 0.987');
    });

    it('refuses losses chance does not explain (zh loses 5 and gains none: p 0.031)', () => {
      const d = many(5, 0);
      expect(d.accepted).toBe(false);
      expect(d.reason).toBe('refused: zh misses 5 at-risk replies the current model catches and catches 0 it misses (0 → 5 missed; sign test p = 0.031 < 0.05); a release may not leave one locale\'s people at risk worse off');
    });
  });

  it('computes the one-sided sign test exactly', () => {
    expect(signTestP(0, 0)).toBe(1);
    expect(signTestP(4, 6)).toBeCloseTo(22 / 64, 10);
    expect(signTestP(5, 5)).toBeCloseTo(1 / 32, 10);
    expect(signTestP(6, 6)).toBeCloseTo(1 / 64, 10);
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
    expect(d.reason).toBe('accepted: at-risk recall kept or raised (0.750 → 1.000; zh 1.000 → 1.000, en 0.500 → 1.000), cost 11 → 2, accuracy 0.667 → 0.667');
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
