// npm run nlu:gate [-- --candidate <file>] [--current <file>] [--testset <dir> …] [--check]
// The release gate: measures the candidate model and the current one on every frozen test set (default: all
// present, TESTSET_DIRS) and lets the candidate replace the current model only if, over the sets together, it
// misses no more at-risk replies overall, leaves no locale worse off beyond chance or below its target (decideRelease),
// and its cost-weighted score (10 per missed at-risk reply, 1 per false alarm) is no worse. Both models and the
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
import { isAtRisk, type NluLocale } from './intents';

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
/** The issue's per-locale recall target: a candidate below it in a locale (and below the current model there) is refused. */
export const LOCALE_RECALL_TARGET = 0.97;
/** The issue's parity target: zh and en at-risk recall within this of each other. */
export const PARITY_GAP = 0.02;
/** A locale's loss of caught replies is refused when chance would explain it less often than this (one-sided sign test). */
export const LOCALE_LOSS_ALPHA = 0.05;

/**
 * The one-sided exact sign test: the chance that `lost` or more of `discordant` replies (at-risk replies exactly one
 * of the two models catches) fall against the candidate if each were equally likely to fall either way.
 */
export function signTestP(lost: number, discordant: number): number {
  let p = 0;
  let choose = 1; // C(discordant, 0)
  for (let k = 0; k <= discordant; k++) {
    if (k >= lost) p += choose / 2 ** discordant;
    choose = (choose * (discordant - k)) / (k + 1);
  }
  return Math.min(1, p);
}

const key = (r: TestOutcome) => `${r.set ?? ''}#${r.ref}`;

/**
 * The rule itself, on two models' outcomes over the same entries:
 * - overall, the candidate may not miss more at-risk replies (the issue's rule: never lower at-risk recall);
 * - in each locale it may not fall below the 0.97 target where the current model is above it, nor lose caught
 *   replies beyond chance: of the at-risk replies one model catches and the other misses, the candidate's losses
 *   are refused when a sign test puts them under LOCALE_LOSS_ALPHA (two extra misses of ~700 are not, six of six are);
 * - the locales may not drift apart past the parity target where they were closer;
 * - and the cost-weighted score (10 per missed at-risk reply, 1 per false alarm) may not be worse.
 */
export function decideRelease(current: TestOutcome[], candidate: TestOutcome[]): { accepted: boolean; reason: string } {
  const before = new Map(current.map((r) => [key(r), r]));
  const a = figures(current);
  const b = figures(candidate);
  if (a.atRiskN && b.riskRecall < a.riskRecall - EPS) {
    return { accepted: false, reason: `refused: at-risk recall falls (overall ${fmt(a.riskRecall)} → ${fmt(b.riskRecall)}, ${a.missed} → ${b.missed} missed); a release may never miss more people at risk` };
  }
  const problems: string[] = [];
  const recall: Partial<Record<NluLocale, [number, number]>> = {};
  for (const l of ['zh', 'en'] as NluLocale[]) {
    const la = figures(current.filter((r) => r.locale === l));
    const lb = figures(candidate.filter((r) => r.locale === l));
    if (!la.atRiskN) continue;
    recall[l] = [la.riskRecall, lb.riskRecall];
    if (lb.riskRecall < LOCALE_RECALL_TARGET - EPS && lb.riskRecall < la.riskRecall - EPS) problems.push(`${l} at-risk recall ${fmt(la.riskRecall)} → ${fmt(lb.riskRecall)}, below the ${LOCALE_RECALL_TARGET} target`);
    let lost = 0;
    let gained = 0;
    for (const r of candidate) {
      const was = before.get(key(r));
      if (r.locale !== l || !was || !isAtRisk(r.truth)) continue;
      if (was.atRisk && !r.atRisk) lost += 1;
      else if (!was.atRisk && r.atRisk) gained += 1;
    }
    const p = signTestP(lost, lost + gained);
    if (lost > gained && p < LOCALE_LOSS_ALPHA) problems.push(`${l} misses ${lost} at-risk replies the current model catches and catches ${gained} it misses (${la.missed} → ${lb.missed} missed; sign test p = ${p.toFixed(3)} < ${LOCALE_LOSS_ALPHA})`);
  }
  if (recall.zh && recall.en) {
    const gapBefore = Math.abs(recall.zh[0] - recall.en[0]);
    const gapAfter = Math.abs(recall.zh[1] - recall.en[1]);
    if (gapAfter > PARITY_GAP + EPS && gapAfter > gapBefore + EPS) problems.push(`zh and en at-risk recall ${gapAfter.toFixed(3)} apart (was ${gapBefore.toFixed(3)}; parity target ${PARITY_GAP})`);
  }
  if (problems.length) return { accepted: false, reason: `refused: ${problems.join('; ')}; a release may not leave one locale's people at risk worse off` };
  if (b.cost > a.cost) {
    return { accepted: false, reason: `refused: the cost-weighted score is worse, ${a.cost} → ${b.cost} (${MISSED_AT_RISK_COST} per missed at-risk reply, ${FALSE_ALARM_COST} per false alarm: ${a.falseAlarms} → ${b.falseAlarms} false alarms)` };
  }
  const perLocale = (['zh', 'en'] as NluLocale[]).flatMap((l) => (recall[l] ? [`${l} ${fmt(recall[l][0])} → ${fmt(recall[l][1])}`] : []));
  return { accepted: true, reason: `accepted: at-risk recall kept or raised (${fmt(a.riskRecall)} → ${fmt(b.riskRecall)}${perLocale.length ? `; ${perLocale.join(', ')}` : ''}), cost ${a.cost} → ${b.cost}, accuracy ${fmt(a.accuracy)} → ${fmt(b.accuracy)}` };
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
