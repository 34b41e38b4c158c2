// npm run nlu:eval: the committed model on the frozen independent test set (aggregates only) and on the dev set,
// the near-duplicate check, and the figures per model version → console + nlu-models/REPORT.md.
// Options: --model <model.json> --testset <dir> (repeatable) --report <file> (defaults: the committed ones, every frozen set).
import { writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { isAtRisk } from './intents';
import type { Classification, Classifier, Intent, NluLocale } from './intents';
import { loadCorpus, NLU_ROOT, type Utterance } from './corpus';
import { loadClassifier } from './index';
import { HARD_CLASSES, loadTestsets, presentTestsets, TESTSET_DIRS, type HardClass, type TestChannel, type TestEntry } from './testset';
import { nearDuplicateIndexes, NEAR_DUPLICATE_JACCARD } from './near-duplicates';
import { confusionTable, figures, fmt, perIntentTable, sliceTable, FALSE_ALARM_COST, MISSED_AT_RISK_COST, type Outcome } from './figures';
import { readModelFile, DEFAULT_MODEL_FILE } from './model-file';
import { readReleases, releasesTable, RELEASES_FILE, type SliceSummary } from './releases';

export interface DevRow {
  u: Utterance;
  c: Classification;
}

const outcome = (truth: Intent, c: Classification): Outcome => ({ truth, predicted: c.intent, atRisk: c.atRisk, lowConfidence: c.lowConfidence });

/** The dev set's figures, in the shape the tests check. */
export function riskFigures(rows: DevRow[]) {
  return figures(rows.map((r) => outcome(r.u.intent, r.c)));
}

export async function evaluateDev(classifier?: Classifier) {
  const cl = classifier ?? (await loadClassifier());
  const rows: DevRow[] = loadCorpus('dev').map((u) => ({ u, c: cl.classify(u.text, u.locale) }));
  return { classifier: cl, rows };
}

/** A test-set reply as evaluation keeps it: its reference and labels, what the model decided, never the text. */
export interface TestOutcome extends Outcome {
  ref: string;
  /** Which frozen set the entry belongs to ("testset", "testset-2"); absent in outcomes recorded before there were two. */
  set?: string;
  locale: NluLocale;
  channel: TestChannel;
  hard: HardClass | null;
}

export function scoreTestset(classifier: Classifier, entries: TestEntry[]): TestOutcome[] {
  return entries.map((e) => {
    const c = classifier.classify(e.text, e.locale);
    return { ref: e.ref, set: e.set, locale: e.locale, channel: e.channel, hard: e.hard, ...outcome(e.intent, c) };
  });
}

export function testSlices(rows: TestOutcome[]): Array<[string, TestOutcome[]]> {
  const by = (p: (r: TestOutcome) => boolean) => rows.filter(p);
  return [
    ['all', rows],
    ['zh', by((r) => r.locale === 'zh')],
    ['en', by((r) => r.locale === 'en')],
    ['voice', by((r) => r.channel === 'voice')],
    ['sms', by((r) => r.channel === 'sms')],
    ['telegram', by((r) => r.channel === 'telegram')],
    ['hard', by((r) => r.hard !== null)],
    ['hard zh', by((r) => r.hard !== null && r.locale === 'zh')],
    ['hard en', by((r) => r.hard !== null && r.locale === 'en')],
    ['not hard', by((r) => r.hard === null)],
    ...HARD_CLASSES.flatMap((h): Array<[string, TestOutcome[]]> => [
      [`hard: ${h}`, by((r) => r.hard === h)],
      [`hard: ${h} zh`, by((r) => r.hard === h && r.locale === 'zh')],
      [`hard: ${h} en`, by((r) => r.hard === h && r.locale === 'en')],
    ]),
  ];
}

const rounded = (x: number) => (Number.isFinite(x) ? Math.round(x * 10000) / 10000 : null);
export function summarise(rows: Outcome[]): SliceSummary {
  const f = figures(rows);
  return { n: f.n, accuracy: rounded(f.accuracy) ?? 0, riskRecall: rounded(f.riskRecall), riskPrecision: rounded(f.riskPrecision), cost: f.cost };
}

export interface NearDuplicateReport {
  corpus: string[];
  dev: string[];
}

/** Test-set entries (by reference) that have a near-duplicate in the corpus or in the dev set. */
export function checkNearDuplicates(entries: TestEntry[], corpus: Utterance[], dev: Utterance[]): NearDuplicateReport {
  return {
    corpus: nearDuplicateIndexes(entries, corpus).map((i) => entries[i]!.ref),
    dev: nearDuplicateIndexes(entries, dev).map((i) => entries[i]!.ref),
  };
}

export interface ReportOptions {
  modelFile?: string;
  /** The frozen sets to report on (default: every present one, TESTSET_DIRS). */
  testsetDirs?: string[];
  releasesFile?: string;
}

export async function buildReport(opts: ReportOptions = {}): Promise<{ report: string; modelVersion: string; test: TestOutcome[] | null; nearDuplicates: NearDuplicateReport | null }> {
  const modelFile = opts.modelFile ?? DEFAULT_MODEL_FILE;
  const classifier = await loadClassifier({ modelFile });
  const model = readModelFile(modelFile);
  const corpus = loadCorpus('corpus');
  const { rows: dev } = await evaluateDev(classifier);
  const out: string[] = ['# NLU evaluation report', ''];
  out.push(`Model \`${classifier.modelVersion}\`, trained on ${model.utterances.zh + model.utterances.en} utterances (zh ${model.utterances.zh}, en ${model.utterances.en})${model.trainedOn?.corrections ? ` including ${model.trainedOn.corrections} reviewed desk corrections` : ''}. Written by \`npm run nlu:eval\`.`, '');
  out.push('Targets, on the independent test set: at-risk recall ≥ 0.97 in each locale, at-risk precision ≥ 0.85, 9-intent accuracy ≥ 0.88.', '');
  out.push(`Cost: a missed at-risk reply costs ${MISSED_AT_RISK_COST}, a false alarm ${FALSE_ALARM_COST}. The at-risk threshold is chosen by this cost on the corpus's cross-validation, never on the test set.`, '');

  let test: TestOutcome[] | null = null;
  let near: NearDuplicateReport | null = null;
  const dirs = presentTestsets(opts.testsetDirs ?? TESTSET_DIRS);
  if (!dirs.length) {
    out.push('## Independent test set (frozen)', '');
    out.push(`Not present yet: \`nlu-models/testset/zh.yaml\` and \`en.yaml\` are written from \`nlu-models/testset/BRIEF.md\` by someone who has not read the corpus.`, '');
  } else {
    const entries = loadTestsets(dirs);
    test = scoreTestset(classifier, entries);
    near = checkNearDuplicates(entries, corpus, loadCorpus('dev'));
    const dupes = new Set([...near.corpus, ...near.dev]);
    dirs.forEach((dir, i) => {
      const set = basename(dir);
      const where = relative(join(NLU_ROOT, '..'), dir);
      const mine = entries.filter((e) => e.set === set);
      const rows = test!.filter((r) => r.set === set);
      const nearCorpus = near!.corpus.filter((ref) => mine.some((e) => e.ref === ref));
      const nearDev = near!.dev.filter((ref) => mine.some((e) => e.ref === ref));
      out.push(`## Independent test set ${i + 1}: \`${where}\` (frozen)`, '');
      out.push(
        `${mine.length} replies (zh ${mine.filter((e) => e.locale === 'zh').length}, en ${mine.filter((e) => e.locale === 'en').length}) written from \`${where}/BRIEF.md\` (situations: scam types × channels × locales × reply styles, six hard classes) by a session that had never read the corpus, the dev set or the cue rules; how, in \`${where}/README.md\`. Frozen: never trained on, never edited, and never read by whoever works on the model; this report gives aggregates only, and names entries by reference.`,
        '',
      );
      out.push(...sliceTable(testSlices(rows)), '');
      out.push(`### Per intent (test set ${i + 1})`, '', ...perIntentTable(rows), '');
      out.push(`### Confusion matrix (test set ${i + 1})`, '', ...confusionTable(rows), '');
      out.push(`### Near-duplicates (test set ${i + 1})`, '');
      out.push(`Same reply after normalisation, or character-shingle Jaccard ≥ ${NEAR_DUPLICATE_JACCARD} (zh bigrams, en trigrams). Test-set entries with a near-duplicate:`, '');
      out.push(`- in the corpus: ${nearCorpus.length}${nearCorpus.length ? ` (${nearCorpus.join(', ')})` : ''}`);
      out.push(`- in the dev set: ${nearDev.length}${nearDev.length ? ` (${nearDev.join(', ')})` : ''}`, '');
      if (nearCorpus.length + nearDev.length) {
        const clean = rows.filter((r) => !dupes.has(r.ref));
        out.push(`Without them (${clean.length} replies):`, '', ...sliceTable([['all', clean], ['zh', clean.filter((r) => r.locale === 'zh')], ['en', clean.filter((r) => r.locale === 'en')]]), '');
      }
    });
    if (dirs.length > 1) {
      out.push(`## All ${dirs.length} frozen sets together`, '', `${test.length} replies; the release gate decides on these together.`, '');
      out.push(...sliceTable(testSlices(test).filter(([name]) => !name.startsWith('hard: '))), '');
    }
  }

  out.push('## Cross-validation (on the corpus: grouped by wave chose the calibration; random 5-fold beside it)', '');
  out.push(`Calibration: ${JSON.stringify(model.calibration)}.`, '');
  const cv = model.crossValidation;
  const weightsOf = (costKey: string) => Object.keys(cv).filter((k) => k.startsWith(costKey)).map((k) => k.slice(costKey.length));
  out.push(`Out of fold: ${Object.entries(cv).filter(([k]) => !/AtNlpjsWeight/.test(k)).map(([k, v]) => `${k} ${v}`).join(', ')}.`, '');
  const groupedWeights = weightsOf('groupedCostAtNlpjsWeight');
  out.push(
    groupedWeights.length
      ? "The decision policy: for each nlp.js weight in the blend, each locale's at-risk threshold with the lowest cost on grouped (leave-one-wave-out) cross-validation, counted on the waves other writers wrote from a brief, under the recall floors read on every wave; the weight with the lowest cost wins, and nlp.js keeps a vote only if it lowers that cost by more than 5% (it costs every classifying process its modules, lang-zh's dictionary and most of the classification time). The random folds' costs are shown beside it; they no longer decide."
      : "The decision policy: for each nlp.js weight in the blend, each locale's at-risk threshold with the lowest out-of-fold cost; the weight with the lowest cost wins, and nlp.js keeps a vote only if it lowers that cost by more than 5% (it costs every classifying process its modules, lang-zh's dictionary and most of the classification time).",
    '',
  );
  for (const [name, prefix] of [['grouped', 'grouped'], ['random 5-fold', '']] as const) {
    const costKey = prefix ? `${prefix}CostAtNlpjsWeight` : 'costAtNlpjsWeight';
    const accuracyKey = prefix ? `${prefix}AccuracyAtNlpjsWeight` : 'accuracyAtNlpjsWeight';
    const weights = weightsOf(costKey);
    if (!weights.length) continue;
    out.push(`| nlp.js weight | ${name} cost | ${name} accuracy |`, '|---:|---:|---:|');
    for (const w of weights) out.push(`| ${w} | ${cv[`${costKey}${w}`]} | ${fmt(cv[`${accuracyKey}${w}`] ?? NaN)} |`);
    out.push('');
  }

  const devOut = dev.map((r) => outcome(r.u.intent, r.c));
  out.push('## Dev set', '', `${dev.length} replies written with the corpus, never trained on. It flatters the model (written by the same hands), so the test set above is the measure.`, '');
  const devSlices: Array<[string, DevRow[]]> = [
    ['all', dev],
    ['zh', dev.filter((r) => r.u.locale === 'zh')],
    ['en', dev.filter((r) => r.u.locale === 'en')],
    ['voice', dev.filter((r) => r.u.voice)],
    ['typed', dev.filter((r) => !r.u.voice)],
  ];
  out.push(...sliceTable(devSlices.map(([n, rs]) => [n, rs.map((r) => outcome(r.u.intent, r.c))])), '');
  out.push('### Per intent (dev)', '', ...perIntentTable(devOut), '');
  out.push('### Confusion matrix (dev)', '', ...confusionTable(devOut), '');
  out.push('### At-risk replies missed (dev)', '');
  for (const r of dev.filter((x) => isAtRisk(x.u.intent) && !x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}): ${r.u.text}`);
  out.push('', '### False alarms (dev)', '');
  for (const r of dev.filter((x) => !isAtRisk(x.u.intent) && x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}; cues: ${r.c.cues.join(', ') || 'none'}): ${r.u.text}`);
  out.push('', '### Other misclassifications (dev)', '');
  for (const r of dev.filter((x) => x.c.intent !== x.u.intent && isAtRisk(x.u.intent) === x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}): ${r.u.text}`);

  out.push('', '## Figures per model version (release gate)', '', ...releasesTable(readReleases(opts.releasesFile ?? RELEASES_FILE)), '');
  return { report: `${out.join('\n')}\n`, modelVersion: classifier.modelVersion, test, nearDuplicates: near };
}

async function main() {
  const { values } = parseArgs({ options: { model: { type: 'string' }, testset: { type: 'string', multiple: true }, report: { type: 'string' } }, strict: true });
  const { report, test } = await buildReport({ modelFile: values.model, testsetDirs: values.testset });
  writeFileSync(values.report ?? join(NLU_ROOT, 'REPORT.md'), report);
  process.stdout.write(report);
  if (test) {
    const sets = [...new Set(test.map((r) => r.set ?? 'testset'))];
    for (const [name, rows] of [...sets.map((set): [string, TestOutcome[]] => [set, test.filter((r) => r.set === set)]), ...(sets.length > 1 ? [['all sets', test] as [string, TestOutcome[]]] : [])]) {
      const f = (l?: NluLocale) => figures(l ? rows.filter((r) => r.locale === l) : rows);
      process.stderr.write(`nlu:eval: ${name}: recall ${fmt(f().riskRecall)} (zh ${fmt(f('zh').riskRecall)}, en ${fmt(f('en').riskRecall)}), precision ${fmt(f().riskPrecision)}, accuracy ${fmt(f().accuracy)}\n`);
    }
  }
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`nlu:eval: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
