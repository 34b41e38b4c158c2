// npx tsx nlu-models/src/cv-grouped.ts [--feature-set N] [--balance B] [--l2 L] [--epochs E] [--lr R] [--random] [--dev]
//   [--errors zh|en|all] [--scan [--fine]] [--wave7-rule] [--all-waves-cost] [--since waveN[,waveM]] [--low line] [--cue-free]
// Grouped (leave-one-wave-out) cross-validation first, per locale, for comparing one change to the n-gram model:
// the thresholds training would choose on the grouped scores (lowest cost with the model alone, cue-blind,
// ≥ 0.97 of at-risk replies out of wave), then accuracy, cue-aware and cue-blind at-risk recall, precision, misses,
// false alarms and cost per locale, and which true intents the false alarms come from. --random and --dev add
// the random 5-fold and the dev set under the same thresholds; --since splits the grouped figures into the replies
// of some waves (comma-separated) and the rest, and --scan scans those waves apart too; --scan prints misses and false alarms at every threshold (--fine: every 0.01); --wave7-rule chooses the
// thresholds without the cue-aware recall floor (MIN_GROUPED_RECALL); --all-waves-cost counts the thresholds' cost on
// every wave (before 4 Dec) instead of the waves written from a brief, as training does; --low fixes the low-confidence line; --cue-free scores every reply as if no cue rule fired (no override, no c: signal
// among the model's features: the model alone on a phrasing nobody wrote a rule for; thresholds then use it too). "to humans": the share below the low-confidence line
// (chosen on the grouped scores, as training chooses it). Corpus and dev only: it never reads a test set.
import { parseArgs } from 'node:util';
import { corpusWaves, loadCorpus } from './corpus';
import { INTENTS, NLU_LOCALES, isAtRisk } from './intents';
import type { Calibration } from './decide';
import { figures, fmt } from './figures';
import {
  LOW_CONFIDENCE,
  MIN_GROUPED_RECALL,
  MIN_MODEL_RECALL,
  MODEL_ALONE,
  RISK_THRESHOLDS,
  fitAndScore,
  lowConfidenceLine,
  outOfFold,
  outOfWave,
  thresholdsByCost,
  withThresholds,
  writtenFromBrief,
  type FoldOptions,
  type Scored,
} from './train-model';
import { outcomesOf, thresholdScan } from './cv-outcomes';

const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));

function table(name: string, scored: Scored[], cal: Calibration): string[] {
  const out: string[] = [];
  const rows = outcomesOf(scored, cal);
  const blind = outcomesOf(scored, cal, true);
  for (const l of [...NLU_LOCALES, 'all'] as const) {
    const mine = rows.filter((r) => l === 'all' || r.locale === l);
    const f = figures(mine);
    const b = figures(blind.filter((r) => l === 'all' || r.locale === l));
    out.push(`| ${name} | ${l} | ${f.n} | ${fmt(f.accuracy)} | ${fmt(f.riskRecall)} | ${fmt(b.riskRecall)} | ${fmt(f.riskPrecision)} | ${f.missed} | ${f.falseAlarms} | ${f.cost} | ${fmt(f.lowConfidenceShare)} |`);
  }
  return out;
}

async function main() {
  const { values } = parseArgs({
    options: {
      'feature-set': { type: 'string' },
      balance: { type: 'string' },
      l2: { type: 'string' },
      epochs: { type: 'string' },
      lr: { type: 'string' },
      random: { type: 'boolean', default: false },
      dev: { type: 'boolean', default: false },
      errors: { type: 'string' },
      scan: { type: 'boolean', default: false },
      fine: { type: 'boolean', default: false },
      'wave7-rule': { type: 'boolean', default: false },
      since: { type: 'string', default: 'wave8' },
      low: { type: 'string' },
      'cue-free': { type: 'boolean', default: false },
      'all-waves-cost': { type: 'boolean', default: false },
    },
    strict: true,
  });
  const started = Date.now();
  const opts: FoldOptions = {
    nlpjs: false,
    featureSet: num(values['feature-set']),
    cueFree: values['cue-free'],
    ngram: { balance: num(values.balance), l2: num(values.l2), epochs: num(values.epochs), lr: num(values.lr) },
  };
  const log = (m: string) => process.stderr.write(`cv: ${m}\n`);
  const corpus = loadCorpus('corpus');
  const waves = corpusWaves('corpus');
  const grouped = await outOfWave(corpus, (u) => waves.get(`${u.locale}:${u.text}`), log, opts);
  const base = MODEL_ALONE;
  const th = (values['wave7-rule'] ? thresholdsByCost(grouped, base) : thresholdsByCost(grouped, base, MIN_MODEL_RECALL, MIN_GROUPED_RECALL, values['all-waves-cost'] ? undefined : writtenFromBrief(waves))).byLocale;
  const thresholds = withThresholds(base, th);
  const cal: Calibration = { ...thresholds, lowConfidence: num(values.low) ?? lowConfidenceLine(grouped, thresholds) };
  const out: string[] = [`grouped thresholds zh ${th.zh} en ${th.en}, low-confidence line ${cal.lowConfidence}; options ${JSON.stringify(opts)}`];
  out.push('| scored on | locale | n | accuracy | recall | cue-blind recall | precision | missed | false alarms | cost | to humans |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(...table('grouped', grouped, cal));
  const waveOf = (s: Scored) => waves.get(`${s.u.locale}:${s.u.text}`);
  const since = new Set(values.since.split(','));
  const inSince = (s: Scored) => since.has(waveOf(s) ?? '');
  out.push(...table(`grouped but ${values.since}`, grouped.filter((s) => !inSince(s)), cal));
  out.push(...table(`grouped ${values.since}`, grouped.filter(inSince), cal));
  if (values.random) {
    const folds = await outOfFold(corpus, log, opts);
    out.push(...table('random 5-fold', folds, cal), `(on the random folds the same rule would put the low-confidence line at ${lowConfidenceLine(folds, thresholds)})`);
  }
  if (values.dev) out.push(...table('dev', await fitAndScore(corpus, loadCorpus('dev'), opts), cal));
  // Threshold-free comparison: per locale, the highest threshold at which the model alone (cue-blind) still finds
  // 0.97 of at-risk replies out of wave, read off the scores instead of the 0.05 grid.
  const matched: Record<string, number> = {};
  for (const l of NLU_LOCALES) {
    const eff = grouped
      .filter((s) => s.u.locale === l && isAtRisk(s.u.intent))
      .map((s) => (isAtRisk(INTENTS.reduce((b, i) => (s.ngram[i] > s.ngram[b] ? i : b), INTENTS[0])) ? 1 : s.ngram.mid_scam + s.ngram.already_paid))
      .sort((a, b) => b - a);
    matched[l] = Math.min(eff[Math.ceil(0.97 * eff.length) - 1]!, 0.99);
  }
  const mcal = withThresholds(base, { zh: matched.zh!, en: matched.en! });
  out.push(`matched thresholds (cue-blind recall 0.97 exactly) zh ${matched.zh!.toFixed(3)} en ${matched.en!.toFixed(3)}`);
  out.push(...table('grouped@matched', grouped, mcal));
  // The low-confidence line: at each candidate, the share of grouped replies below it and how often those are right.
  const lows = LOW_CONFIDENCE.map((l) => {
    const r = outcomesOf(grouped, { ...thresholds, lowConfidence: l });
    const below = r.filter((x) => x.lowConfidence);
    return `${l}: ${fmt(below.length / r.length)} / ${fmt(below.filter((x) => x.truth === x.predicted).length / (below.length || 1))}`;
  });
  out.push(`grouped low-confidence lines (line: share below / accuracy below): ${lows.join('  ')}`);
  if (values.scan) {
    for (const l of NLU_LOCALES) {
      const mine = grouped.filter((s) => s.u.locale === l);
      const grid = values.fine ? Array.from({ length: 56 }, (_, i) => Math.round((0.6 - i * 0.01) * 100) / 100) : RISK_THRESHOLDS;
      out.push(`${l} grouped scan (threshold: missed/false alarms/cue-blind recall): ${thresholdScan(mine, grid).join('  ')}`);
      out.push(`${l} grouped ${values.since} scan: ${thresholdScan(mine.filter(inSince), grid).join('  ')}`);
    }
  }
  const rows = outcomesOf(grouped, cal);
  for (const l of NLU_LOCALES) {
    const fa = INTENTS.filter((i) => !isAtRisk(i)).map((i) => `${i} ${rows.filter((r) => r.locale === l && r.truth === i && r.atRisk).length}`);
    const wrong = INTENTS.map((i) => `${i} ${rows.filter((r) => r.locale === l && r.truth === i && r.predicted !== i).length}`);
    out.push(`${l} grouped false alarms by true intent: ${fa.join(', ')}`, `${l} grouped errors by true intent: ${wrong.join(', ')}`);
  }
  if (values.errors) {
    out.push('', 'grouped misclassified (wave, true → predicted, top n-gram scores, cues):');
    for (const r of rows) {
      if (r.truth === r.predicted || (values.errors !== 'all' && values.errors !== r.locale)) continue;
      const top = INTENTS.map((i) => [i, r.s.ngram[i]] as const).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([i, p]) => `${i.slice(0, 5)} ${p.toFixed(2)}`).join(', ');
      out.push(`${r.locale} ${waves.get(`${r.locale}:${r.s.u.text}`)} ${r.s.u.voice ? 'V' : 'T'} ${r.truth} → ${r.predicted} [${top}] [${r.s.cueNames.join(',')}] ${r.s.u.text}`);
    }
  }
  out.push(`(${Math.round((Date.now() - started) / 1000)} s)`);
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`cv: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});

