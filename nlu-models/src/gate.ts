// npm run nlu:gate [-- --candidate <file>] [--current <file>] [--testset <dir> …] [--check]
// The release gate: measures the candidate model and the current one on every frozen test set (default: all
// present, TESTSET_DIRS) and lets the candidate replace the current model only if, over the sets together, it
// misses no more at-risk replies (overall and in each locale) and its cost-weighted score (10 per missed at-risk reply, 1 per false alarm) is no worse. Both models and the
// decision are recorded in nlu-models/releases.json (figures per model version); --check only compares.
// Exit code: 0 released (or nothing to release), 1 refused, 2 cannot run.
import { spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { NLU_ROOT } from './corpus';
import { DEFAULT_MODEL_FILE } from './model-file';
import { presentTestsets, testsetPresent } from './testset';
import { figures, fmt, FALSE_ALARM_COST, MISSED_AT_RISK_COST } from './figures';
import { summarise, type TestOutcome } from './eval';
import { appendReleases, readReleases, RELEASES_FILE, type Release } from './releases';
import type { NluLocale } from './intents';

export const CANDIDATE_FILE = join(NLU_ROOT, 'candidate.json');
const TSX = join(NLU_ROOT, '..', 'node_modules', '.bin', 'tsx');

export class GateUnavailable extends Error {}

export interface Scored {
  modelVersion: string;
  trainedOn: { corpus: number; corrections: number };
  crossValidation: Record<string, number>;
  outcomes: TestOutcome[];
}

export function score(modelFile: string, testsetDirs: readonly string[]): Scored {
  const r = spawnSync(TSX, [join(__dirname, 'score-testset.ts'), '--model', modelFile, ...testsetDirs.flatMap((d) => ['--testset', d])], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new GateUnavailable(`could not score ${modelFile}: ${r.stderr.trim() || `exit ${r.status}`}`);
  return JSON.parse(r.stdout) as Scored;
}

export interface GateDecision {
  accepted: boolean;
  reason: string;
  candidate: Scored;
  current: Scored;
  lines: string[];
}

const EPS = 1e-9;

/** The rule itself, on two models' outcomes over the same entries. */
export function decideRelease(current: TestOutcome[], candidate: TestOutcome[]): { accepted: boolean; reason: string } {
  const slices: Array<[string, (r: TestOutcome) => boolean]> = [
    ['overall', () => true],
    ...(['zh', 'en'] as NluLocale[]).map((l): [string, (r: TestOutcome) => boolean] => [l, (r) => r.locale === l]),
  ];
  const lowered: string[] = [];
  for (const [name, keep] of slices) {
    const a = figures(current.filter(keep));
    const b = figures(candidate.filter(keep));
    if (a.atRiskN && b.riskRecall < a.riskRecall - EPS) lowered.push(`${name} ${fmt(a.riskRecall)} → ${fmt(b.riskRecall)} (${a.missed} → ${b.missed} missed)`);
  }
  if (lowered.length) return { accepted: false, reason: `refused: at-risk recall falls (${lowered.join('; ')}); a release may never miss more people at risk` };
  const a = figures(current);
  const b = figures(candidate);
  if (b.cost > a.cost) {
    return { accepted: false, reason: `refused: the cost-weighted score is worse, ${a.cost} → ${b.cost} (${MISSED_AT_RISK_COST} per missed at-risk reply, ${FALSE_ALARM_COST} per false alarm: ${a.falseAlarms} → ${b.falseAlarms} false alarms)` };
  }
  return { accepted: true, reason: `accepted: at-risk recall kept or raised (${fmt(a.riskRecall)} → ${fmt(b.riskRecall)}), cost ${a.cost} → ${b.cost}, accuracy ${fmt(a.accuracy)} → ${fmt(b.accuracy)}` };
}

export function runGate(opts: { candidate: string; current: string; testsetDirs: readonly string[] }): GateDecision {
  for (const [what, file] of [['candidate', opts.candidate], ['current model', opts.current]] as const) {
    if (!existsSync(file)) throw new GateUnavailable(`the ${what} ${file} does not exist${what === 'candidate' ? ' (train one with `npm run train -- --with-corrections`)' : ''}`);
  }
  if (!opts.testsetDirs.length) throw new GateUnavailable('no frozen test set is present (nlu-models/testset/zh.yaml, en.yaml): the gate has nothing to measure on');
  for (const dir of opts.testsetDirs) {
    if (!testsetPresent(dir)) throw new GateUnavailable(`the frozen test set ${dir} (zh.yaml, en.yaml) is missing`);
  }
  const current = score(opts.current, opts.testsetDirs);
  const candidate = score(opts.candidate, opts.testsetDirs);
  const sets = opts.testsetDirs.map((d) => basename(d));
  const lines = ['| model | test set | n | accuracy | at-risk recall | zh recall | en recall | at-risk precision | missed | false alarms | cost |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const [name, s] of [['current', current], ['candidate', candidate]] as const) {
    const slices: Array<[string, TestOutcome[]]> = sets.map((set) => [set, s.outcomes.filter((r) => r.set === set)]);
    if (sets.length > 1) slices.push(['all sets', s.outcomes]);
    for (const [setName, rows] of slices) {
      const f = figures(rows);
      const zh = figures(rows.filter((r) => r.locale === 'zh'));
      const en = figures(rows.filter((r) => r.locale === 'en'));
      lines.push(`| ${name} \`${s.modelVersion}\` | ${setName} | ${f.n} | ${fmt(f.accuracy)} | ${fmt(f.riskRecall)} | ${fmt(zh.riskRecall)} | ${fmt(en.riskRecall)} | ${fmt(f.riskPrecision)} | ${f.missed} | ${f.falseAlarms} | ${f.cost} |`);
    }
  }
  if (candidate.modelVersion === current.modelVersion) return { accepted: true, reason: `nothing to release: the candidate is the current model ${current.modelVersion}`, candidate, current, lines };
  return { ...decideRelease(current.outcomes, candidate.outcomes), candidate, current, lines };
}

export function releaseOf(s: Scored, decision: Release['decision'], reason: string, comparedWith: string | null, at: string): Release {
  const o = s.outcomes;
  const sets = [...new Set(o.map((r) => r.set ?? 'testset'))];
  const slices = (rows: TestOutcome[]) => ({ all: summarise(rows), zh: summarise(rows.filter((r) => r.locale === 'zh')), en: summarise(rows.filter((r) => r.locale === 'en')), hard: summarise(rows.filter((r) => r.hard !== null)) });
  return {
    modelVersion: s.modelVersion,
    at,
    decision,
    reason,
    comparedWith,
    trainedOn: { corpus: s.trainedOn.corpus, corrections: s.trainedOn.corrections },
    crossValidation: s.crossValidation,
    test: slices(o),
    testSets: sets,
    ...(sets.length > 1 ? { bySet: Object.fromEntries(sets.map((set) => [set, slices(o.filter((r) => (r.set ?? 'testset') === set))])) } : {}),
  };
}

export function gateMain(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): number {
  const { values } = parseArgs({
    args: argv,
    options: { candidate: { type: 'string' }, current: { type: 'string' }, testset: { type: 'string', multiple: true }, check: { type: 'boolean', default: false }, history: { type: 'string' } },
    strict: true,
  });
  const opts = { candidate: values.candidate ?? CANDIDATE_FILE, current: values.current ?? DEFAULT_MODEL_FILE, testsetDirs: values.testset?.length ? values.testset : presentTestsets() };
  const history = values.history ?? RELEASES_FILE;
  let d: GateDecision;
  try {
    d = runGate(opts);
  } catch (err) {
    if (err instanceof GateUnavailable) {
      out(`nlu:gate: cannot decide: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  out(`${d.lines.join('\n')}\n\nnlu:gate: ${d.reason}\n`);
  if (values.check || d.candidate.modelVersion === d.current.modelVersion) return d.accepted ? 0 : 1;
  const at = new Date().toISOString();
  const known = new Set(readReleases(history).map((r) => r.modelVersion));
  appendReleases(
    [
      ...(known.has(d.current.modelVersion) ? [] : [releaseOf(d.current, 'current', 'the model in place when the gate first measured it', null, at)]),
      releaseOf(d.candidate, d.accepted ? 'accepted' : 'refused', d.reason, d.current.modelVersion, at),
    ],
    history,
  );
  if (d.accepted) {
    renameSync(opts.candidate, opts.current);
    out(`nlu:gate: ${opts.current} is now ${d.candidate.modelVersion}; run \`npm run nlu:eval\` to refresh the report, and commit the model with releases.json\n`);
  }
  return d.accepted ? 0 : 1;
}

if (require.main === module) {
  try {
    process.exitCode = gateMain(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`nlu:gate: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 2;
  }
}
