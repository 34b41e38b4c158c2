import { createHash } from 'node:crypto';
import { INTENTS, NLU_LOCALES, isAtRisk, type Intent, type NluLocale } from './intents';
import { briefedWaves, corpusHash, corpusWaves, type Utterance } from './corpus';
import { contentOf } from './text';
import { analyse } from './cues';
import { exportNlpjs, makeSyncScorer, trainNlpjs, type Scores } from './nlpjs';
import { FEATURE_SET, makeNgramScorer, trainNgram, type NgramTrainOptions } from './ngram';
import { blend, decide, type Calibration } from './decide';
import { buildZhDict } from './zh-dict';
import type { ModelFile } from './model-file';
import { FALSE_ALARM_COST, MISSED_AT_RISK_COST } from './figures';

const FOLDS = 5;
export const WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1];
export const RISK_THRESHOLDS = [0.6, 0.55, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05];
// Out of fold, with no cue rule's override, the n-gram model alone must find this share of at-risk replies at the
// chosen threshold (the project's recall target): thresholds above that are not considered.
export const MIN_MODEL_RECALL = 0.97;
// And with the cue rules, out of wave (grouped scores only), the reply classifier must find this share in each
// locale: about the level the wave-7 calibration reached (zh 0.995, en 0.998 on its corpus). A model that ranks
// replies better must spend that on fewer false alarms, not on missing more people (the release gate refuses a
// model that misses more). One floor for both: with about 670 at-risk replies per locale, 0.998 would mean at most
// one miss, and in wave 8's trials which side of it a model fell turned on a single reply.
export const MIN_GROUPED_RECALL: Record<NluLocale, number> = { zh: 0.995, en: 0.995 };
export const LOW_CONFIDENCE = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
// The low-confidence line sits where the model stops beating a coin flip: out of fold, replies below it are
// right at most this often, so asking again costs less than acting on them.
const MAX_ACCURACY_BELOW_LINE = 0.5;
// …and it sends at most this share of replies to a human (asked again or handed over) on the scores that choose it.
// Out of wave the model is unsure of far more replies than on random folds: at 0.7 the replies below are still right
// less than half the time, but they are 23% of all; the desk cannot read one reply in four.
const MAX_SHARE_BELOW_LINE = 0.15;
// nlp.js costs every classifying process its modules and lang-zh's dictionary (about 35 MB) and most of the
// classification time: it gets a vote only if that lowers the out-of-fold cost by more than this share.
const NLPJS_MIN_GAIN = 0.05;

/** The n-gram model alone (no nlp.js vote, no low-confidence line): the base every threshold search starts from. */
export const MODEL_ALONE: Calibration = { nlpjsWeight: 0, riskThreshold: 0.5, lowConfidence: 0 };

/** The calibration with these per-locale at-risk thresholds (riskThreshold, the fallback, is the lower). */
export const withThresholds = (cal: Calibration, byLocale: Record<NluLocale, number>): Calibration => ({
  ...cal,
  riskThreshold: Math.min(byLocale.zh, byLocale.en),
  riskThresholdByLocale: byLocale,
});

export interface Scored {
  u: Utterance;
  nlp: Scores;
  ngram: Scores;
  cueNames: string[];
  cues: ReturnType<typeof analyse>['cues'];
}

const EMPTY: Scores = Object.fromEntries(INTENTS.map((i) => [i, i === 'other' ? 1 : 0])) as Scores;

/** Content for nlp.js, plus the cue signals the n-gram model takes, computed from the raw text. */
const prepared = (us: Utterance[]) => us.map((u) => ({ ...u, text: contentOf(u.text), extra: analyse(u.text, u.locale).features })).filter((u) => u.text);

export interface FoldOptions {
  /** Train nlp.js in each fold (the release training does, to weigh its vote); off for quick n-gram experiments. */
  nlpjs?: boolean;
  /** The n-gram feature set (ngram.ts FEATURE_SET unless given), to compare feature sets on the same folds. */
  featureSet?: number;
  /** n-gram training options (trainNgram's defaults unless given), to compare them on the same folds. */
  ngram?: NgramTrainOptions;
  /**
   * Score as if no cue rule fired on the held-out replies: no cue override and no `c:` cue signal among the n-gram
   * model's features (the other signals stay). What the model does with a phrasing nobody wrote a rule for; the
   * plain cue-blind figures drop only the override, and the model still reads the cue signals.
   */
  cueFree?: boolean;
}

export async function fitAndScore(train: Utterance[], test: Utterance[], opts: FoldOptions = {}): Promise<Scored[]> {
  const usable = prepared(train);
  const nlp = opts.nlpjs === false ? null : await trainNlpjs(usable);
  const scorers = Object.fromEntries(
    NLU_LOCALES.map((loc) => {
      const ng = trainNgram(
        usable.filter((u) => u.locale === loc).map((u) => ({ content: u.text, intent: u.intent, extra: u.extra })),
        loc,
        { ...opts.ngram, featureSet: opts.featureSet ?? opts.ngram?.featureSet },
      );
      return [loc, { nlp: nlp ? makeSyncScorer(nlp, loc) : () => EMPTY, ngram: makeNgramScorer(ng) }];
    }),
  ) as Record<NluLocale, LocaleScorers>;
  return scoreWith(scorers, test, opts.cueFree);
}

/** A model file's n-gram scores on these replies, with no vote for nlp.js (as the released calibrations give it). */
export function scoreModelFile(model: ModelFile, test: Utterance[]): Scored[] {
  const scorer = (loc: NluLocale): LocaleScorers => ({ nlp: () => EMPTY, ngram: makeNgramScorer(model.ngram[loc]) });
  return scoreWith({ zh: scorer('zh'), en: scorer('en') }, test);
}

interface LocaleScorers {
  nlp: (t: string) => Scores;
  ngram: (t: string, extra?: readonly string[]) => Scores;
}

function scoreWith(scorers: Record<NluLocale, LocaleScorers>, test: Utterance[], cueFree = false): Scored[] {
  return test.map((u) => {
    const c = contentOf(u.text);
    const a = analyse(u.text, u.locale);
    const cues = cueFree ? [] : a.cues;
    const features = cueFree ? a.features.filter((f) => !f.startsWith('c:')) : a.features;
    if (!c) return { u, nlp: EMPTY, ngram: EMPTY, cues, cueNames: cues.map((x) => x.name) };
    return { u, nlp: scorers[u.locale].nlp(c), ngram: scorers[u.locale].ngram(c, features), cues, cueNames: cues.map((x) => x.name) };
  });
}

export interface CvFigures {
  accuracy: number;
  riskRecall: number;
  riskPrecision: number;
  /** MISSED_AT_RISK_COST per missed at-risk reply + FALSE_ALARM_COST per false alarm. */
  cost: number;
  confidentAccuracy: number;
  confidentShare: number;
}

export function evaluate(scored: Scored[], cal: Calibration): CvFigures {
  let correct = 0;
  let riskTp = 0;
  let riskFn = 0;
  let riskFp = 0;
  let confidentN = 0;
  let confidentOk = 0;
  for (const s of scored) {
    const d = decide(blend(s.nlp, s.ngram, cal.nlpjsWeight), s.cues, cal, s.u.locale);
    const ok = d.intent === s.u.intent;
    if (ok) correct += 1;
    const truth = isAtRisk(s.u.intent);
    const pred = isAtRisk(d.intent);
    if (truth && pred) riskTp += 1;
    if (truth && !pred) riskFn += 1;
    if (!truth && pred) riskFp += 1;
    if (!d.lowConfidence) {
      confidentN += 1;
      if (ok) confidentOk += 1;
    }
  }
  return {
    accuracy: correct / scored.length,
    riskRecall: riskTp / (riskTp + riskFn),
    riskPrecision: riskTp / (riskTp + riskFp || 1),
    cost: MISSED_AT_RISK_COST * riskFn + FALSE_ALARM_COST * riskFp,
    confidentAccuracy: confidentOk / (confidentN || 1),
    confidentShare: confidentN / scored.length,
  };
}

/** Out-of-fold scores of every corpus utterance: each fold's models never saw it. */
export async function outOfFold(corpus: Utterance[], log: (m: string) => void = () => {}, opts: FoldOptions = {}): Promise<Scored[]> {
  const folds: Scored[] = [];
  for (let f = 0; f < FOLDS; f += 1) {
    log(`cross-validation fold ${f + 1}/${FOLDS}`);
    const test = corpus.filter((_, i) => i % FOLDS === f);
    const train = corpus.filter((_, i) => i % FOLDS !== f);
    folds.push(...(await fitAndScore(train, test, opts)));
  }
  return folds;
}

/**
 * Grouped (leave-one-wave-out) cross-validation: each writing wave of the corpus is scored by models trained on
 * the other waves only, so a reply is judged by a model that never saw replies written at that time, with those
 * aims: nearer to another hand than random folds, whose neighbours share the reply's wave. Replies whose wave is
 * unknown (corrections) are trained on in every fold and never scored.
 */
export async function outOfWave(corpus: Utterance[], waveOf: (u: Utterance) => string | undefined, log: (m: string) => void = () => {}, opts: FoldOptions = {}): Promise<Scored[]> {
  const waves = [...new Set(corpus.map(waveOf).filter((w): w is string => !!w))].sort();
  const out: Scored[] = [];
  for (const w of waves) {
    log(`grouped cross-validation: held-out ${w}`);
    const test = corpus.filter((u) => waveOf(u) === w);
    const train = corpus.filter((u) => waveOf(u) !== w);
    out.push(...(await fitAndScore(train, test, opts)));
  }
  return out;
}

/**
 * Per locale, the at-risk threshold with the lowest out-of-fold cost (ties: the higher threshold, fewer alarms).
 * The recall floors are read on all the scores; `pricedOn`, when it selects any of a locale's replies, chooses
 * the ones the cost is counted on (training: the waves other writers wrote from a brief).
 */
export function thresholdsByCost(
  folds: Scored[],
  cal: Calibration,
  minModelRecall = MIN_MODEL_RECALL,
  minRecall: Partial<Record<NluLocale, number>> = {},
  pricedOn?: (s: Scored) => boolean,
): { byLocale: Record<NluLocale, number>; cost: number } {
  const byLocale = { zh: 0.5, en: 0.5 } as Record<NluLocale, number>;
  let cost = 0;
  for (const loc of NLU_LOCALES) {
    const mine = folds.filter((s) => s.u.locale === loc);
    const selected = pricedOn ? mine.filter(pricedOn) : [];
    const priced = selected.length ? selected : mine;
    let bestCost = Infinity;
    const cueBlind = mine.map((s) => ({ ...s, cues: [] }));
    for (const t of RISK_THRESHOLDS) {
      const locCal = { ...cal, riskThresholdByLocale: { [loc]: t } };
      // The model must reach the recall target on its own: cue rules are hand-written (partly from these very
      // out-of-fold misses) and miss phrasings nobody wrote a rule for.
      if (t !== RISK_THRESHOLDS.at(-1) && evaluate(cueBlind, locCal).riskRecall < minModelRecall) continue;
      const e = evaluate(mine, locCal);
      if (t !== RISK_THRESHOLDS.at(-1) && e.riskRecall < (minRecall[loc] ?? 0)) continue;
      const c = priced === mine ? e.cost : evaluate(priced, locCal).cost;
      if (c < bestCost) {
        bestCost = c;
        byLocale[loc] = t;
      }
    }
    cost += bestCost;
  }
  return { byLocale, cost };
}

/**
 * The calibration, from out-of-fold predictions on the training corpus only (dev and test stay unseen). The
 * decision is made by cost, where a missed at-risk reply costs MISSED_AT_RISK_COST false alarms: for each blend
 * weight, each locale's at-risk threshold with the lowest cost; then the weight whose thresholds cost least
 * (ties: the more accurate), nlp.js keeping a vote only if it earns NLPJS_MIN_GAIN; then the low-confidence line.
 * `rule`: the thresholds' recall floors and the replies their cost is counted on (thresholdsByCost); `prefix`
 * names the scores in `record` (grouped: `groupedCostAtNlpjsWeight0.1`).
 */
export function chooseCalibration(
  folds: Scored[],
  log: (m: string) => void = () => {},
  record: Record<string, number> = {},
  rule: { minRecall?: Partial<Record<NluLocale, number>>; pricedOn?: (s: Scored) => boolean; prefix?: string } = {},
): Calibration {
  const base = MODEL_ALONE;
  const key = (what: string, w: number) => (rule.prefix ? `${rule.prefix}${what[0]!.toUpperCase()}${what.slice(1)}` : what) + `AtNlpjsWeight${w}`;
  let best: { cal: Calibration; cost: number; accuracy: number } | undefined;
  const results: Array<{ cal: Calibration; cost: number; accuracy: number }> = [];
  for (const w of WEIGHTS) {
    const { byLocale, cost } = thresholdsByCost(folds, { ...base, nlpjsWeight: w }, MIN_MODEL_RECALL, rule.minRecall, rule.pricedOn);
    const cal = withThresholds({ ...base, nlpjsWeight: w }, byLocale);
    const { accuracy } = evaluate(folds, cal);
    log(`nlp.js weight ${w}: thresholds zh ${byLocale.zh} en ${byLocale.en}, ${rule.prefix ?? 'out-of-fold'} cost ${cost}, accuracy ${accuracy.toFixed(4)}`);
    results.push({ cal, cost, accuracy });
    record[key('cost', w)] = cost;
    record[key('accuracy', w)] = Math.round(accuracy * 10000) / 10000;
    if (!best || cost < best.cost || (cost === best.cost && accuracy > best.accuracy + 1e-9)) best = { cal, cost, accuracy };
  }
  let cal = best!.cal;
  const alone = results.find((r) => r.cal.nlpjsWeight === 0)!;
  if (cal.nlpjsWeight > 0 && alone.cost <= best!.cost * (1 + NLPJS_MIN_GAIN)) {
    log(`nlp.js lowers the cost only from ${alone.cost} to ${best!.cost}: not worth its memory and time, the n-gram model decides alone`);
    cal = alone.cal;
  }
  return { ...cal, lowConfidence: lowConfidenceLine(folds, cal) };
}

/**
 * The low-confidence line: the highest on the grid at which the replies below it are right at most
 * MAX_ACCURACY_BELOW_LINE of the time in these scores (training passes the grouped ones, with the grouped
 * thresholds) and are at most MAX_SHARE_BELOW_LINE of them: below it the model does no better than a coin flip
 * on replies written at another time, and a human reads the reply instead.
 */
export function lowConfidenceLine(scored: Scored[], cal: Calibration): number {
  let lowConfidence = LOW_CONFIDENCE[0];
  for (const l of LOW_CONFIDENCE) {
    const e = evaluate(scored, { ...cal, lowConfidence: l });
    const below = (1 - e.confidentShare) * scored.length;
    const belowCorrect = e.accuracy * scored.length - e.confidentAccuracy * e.confidentShare * scored.length;
    if (below > 0 && belowCorrect / below <= MAX_ACCURACY_BELOW_LINE && below <= MAX_SHARE_BELOW_LINE * scored.length) lowConfidence = l;
  }
  return lowConfidence;
}

/** Whether a scored reply is from a wave other writers wrote from a brief (briefedWaves). */
export function writtenFromBrief(waves: Map<string, string>, briefed = briefedWaves()): (s: Scored) => boolean {
  return (s) => briefed.has(waves.get(`${s.u.locale}:${s.u.text}`) ?? '');
}

async function calibrate(corpus: Utterance[], log: (m: string) => void) {
  const folds = await outOfFold(corpus, log);
  const byWeight: Record<string, number> = {};
  // The random folds' choice, kept for the record (and the whole calibration if the corpus has one wave).
  let cal = chooseCalibration(folds, log, byWeight);
  // The calibration comes from grouped (leave-one-wave-out) cross-validation: random folds share each reply's
  // hand and wave, chose higher thresholds that did not hold on replies written by someone else, and gave nlp.js
  // (which learns a writer's phrasing) a vote it did not earn out of wave. Per nlp.js weight, per locale, the
  // lowest cost with the model alone, cue-blind, reaching MIN_MODEL_RECALL and, with the cues, MIN_GROUPED_RECALL
  // on waves it never saw. The cost is counted on the waves other writers wrote from a brief: on the main
  // writer's own waves held out, grouped CV found nearly every at-risk reply at any threshold (recall 0.999–1.000
  // against 0.979–0.990 on wave 10), so a threshold priced there buys false alarms back with misses that only
  // other hands' replies show.
  const waves = corpusWaves('corpus');
  const grouped = await outOfWave(corpus, (u) => waves.get(`${u.locale}:${u.text}`), log, { nlpjs: true });
  if (grouped.length) {
    const priced = [...briefedWaves()].join(', ') || 'none: all waves';
    cal = chooseCalibration(grouped, log, byWeight, { minRecall: MIN_GROUPED_RECALL, pricedOn: writtenFromBrief(waves), prefix: 'grouped' });
    const { cost } = thresholdsByCost(grouped, cal, MIN_MODEL_RECALL, MIN_GROUPED_RECALL, writtenFromBrief(waves));
    log(`grouped cross-validation: nlp.js weight ${cal.nlpjsWeight}, thresholds zh ${cal.riskThresholdByLocale?.zh} en ${cal.riskThresholdByLocale?.en}, cost ${cost} on the waves written from a brief (${priced})`);
    const g = evaluate(grouped, cal);
    log(`grouped cross-validation: low-confidence line ${cal.lowConfidence}, share to humans ${(1 - g.confidentShare).toFixed(4)}`);
    byWeight.groupedCost = cost;
    byWeight.groupedN = grouped.length;
    byWeight.groupedAccuracy = Math.round(g.accuracy * 10000) / 10000;
    byWeight.groupedRiskRecall = Math.round(g.riskRecall * 10000) / 10000;
    byWeight.groupedRiskPrecision = Math.round(g.riskPrecision * 10000) / 10000;
    byWeight.groupedLowConfidenceShare = Math.round((1 - g.confidentShare) * 10000) / 10000;
    byWeight.groupedConfidentAccuracy = Math.round(g.confidentAccuracy * 10000) / 10000;
  }
  const r = evaluate(folds, cal);
  const round = (x: number) => Math.round(x * 10000) / 10000;
  const perLocale = Object.fromEntries(
    NLU_LOCALES.flatMap((l) => {
      const e = evaluate(folds.filter((s) => s.u.locale === l), cal);
      return [[`${l}RiskRecall`, round(e.riskRecall)], [`${l}Accuracy`, round(e.accuracy)]];
    }),
  );
  return {
    cal,
    cv: {
      accuracy: round(r.accuracy),
      riskRecall: round(r.riskRecall),
      riskPrecision: round(r.riskPrecision),
      cost: r.cost,
      n: folds.length,
      ...perLocale,
      confidentAccuracy: round(r.confidentAccuracy),
      confidentShare: round(r.confidentShare),
      ...byWeight,
    },
  };
}

/**
 * A model's version names everything that decides its answers: what it was trained on, its calibration (the
 * thresholds a wave chose) and its n-gram feature set. Two candidates on one corpus with different thresholds
 * are different models (wave 7's candidate once shared wave 6's version, having the same corpus).
 */
export function modelVersionOf(trainingHash: string, cal: Calibration, featureSet = FEATURE_SET): string {
  // Keys in one fixed order (training's), so a calibration read back from the model file, whose schema orders
  // them differently, names the same version; `satisfies` makes a new calibration field join the version.
  const { nlpjsWeight, riskThreshold, lowConfidence, riskThresholdByLocale } = cal;
  const fixed = JSON.stringify({ nlpjsWeight, riskThreshold, lowConfidence, riskThresholdByLocale } satisfies Record<keyof Calibration, unknown>);
  const h = createHash('sha256').update(`${trainingHash}\n${fixed}\nfeature set ${featureSet}`).digest('hex');
  return `nlu-${h.slice(0, 12)}`;
}

export interface TrainOptions {
  log?: (m: string) => void;
  /** Reviewed desk corrections, trained on beside the corpus (already kept off the test and dev sets). */
  corrections?: Utterance[];
  /** Skip cross-validation and use this calibration (tests that need a model quickly). */
  calibration?: Calibration;
  /** The corpus files' hash, when corrections relabelled some of their utterances before training. */
  corpusHash?: string;
}

export async function trainModel(corpus: Utterance[], opts: TrainOptions = {}): Promise<ModelFile> {
  const log = opts.log ?? (() => {});
  const corrections = opts.corrections ?? [];
  const all = [...corpus, ...corrections];
  const hash = opts.corpusHash ?? corpusHash(corpus);
  const trainingHash = corrections.length ? corpusHash(all) : hash;
  let cal: Calibration;
  let cv: Record<string, number> = {};
  if (opts.calibration) cal = opts.calibration;
  else {
    ({ cal, cv } = await calibrate(all, log));
    log(`calibration ${JSON.stringify(cal)} cross-validation ${JSON.stringify(cv)}`);
  }
  log(`training the final models on ${corpus.length} corpus utterances and ${corrections.length} corrections`);
  const usable = prepared(all);
  // nlp.js is trained into the model only when cross-validation gave it a vote.
  const nlp = cal.nlpjsWeight > 0 ? await trainNlpjs(usable) : null;
  const ngram = (loc: NluLocale) =>
    trainNgram(usable.filter((u) => u.locale === loc).map((u) => ({ content: u.text, intent: u.intent as Intent, extra: u.extra })), loc);
  return {
    format: 1,
    modelVersion: modelVersionOf(trainingHash, cal),
    corpusHash: hash,
    utterances: {
      zh: all.filter((u) => u.locale === 'zh').length,
      en: all.filter((u) => u.locale === 'en').length,
    },
    trainedOn: { corpus: corpus.length, corrections: corrections.length, correctionsHash: corrections.length ? corpusHash(corrections) : null },
    calibration: cal,
    crossValidation: cv,
    ngram: { zh: ngram('zh'), en: ngram('en') },
    zhDict: nlp ? buildZhDict(usable.filter((u) => u.locale === 'zh').map((u) => u.text)) : {},
    nlpjs: nlp ? exportNlpjs(nlp) : null,
  };
}
