// What the cross-validation tools (cv-report, cv-grouped, cv-harsh) read off scored replies: each reply's decision
// under a calibration, and misses / false alarms across the at-risk threshold grid. Corpus and dev scores only.
import { isAtRisk, type NluLocale } from './intents';
import { blend, decide, type Calibration } from './decide';
import { figures, fmt, type Outcome } from './figures';
import { MODEL_ALONE, type Scored } from './train-model';

export interface ScoredOutcome extends Outcome {
  s: Scored;
  locale: NluLocale;
}

/** Each reply decided under `cal` with the n-gram model alone; `cueBlind`: without the cue rules' override. */
export function outcomesOf(scored: Scored[], cal: Calibration, cueBlind = false): ScoredOutcome[] {
  return scored.map((s) => {
    const d = decide(blend(s.nlp, s.ngram, 0), cueBlind ? [] : s.cues, cal, s.u.locale);
    return { s, truth: s.u.intent, predicted: d.intent, atRisk: isAtRisk(d.intent), lowConfidence: d.lowConfidence, locale: s.u.locale };
  });
}

/** At each threshold of the grid (the same for every locale): "threshold: missed/false alarms/cue-blind recall". */
export function thresholdScan(scored: Scored[], grid: readonly number[]): string[] {
  return grid.map((t) => {
    const c: Calibration = { ...MODEL_ALONE, riskThreshold: t };
    const f = figures(outcomesOf(scored, c));
    return `${t}: ${f.missed}/${f.falseAlarms}/${fmt(figures(outcomesOf(scored, c, true)).riskRecall)}`;
  });
}
