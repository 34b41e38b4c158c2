// npx tsx nlu-models/src/cv-report.ts [--nlpjs] [--errors zh|en|all] [--since <wave tag>] [--feature-set N] [--no-floor]
// The corpus's cross-validation on its own, for whoever works on the model: the out-of-fold figures with the
// per-locale thresholds chosen by cost (as training chooses them), the same figures on the replies the corpus had
// before a wave (files named *.<wave>.yaml left out of the subset, still trained on), the out-of-fold confusion
// matrix per locale and, with --errors, the misclassified corpus replies. Corpus only: it never reads the test set.
// n-gram alone unless --nlpjs (nlp.js has kept no vote since wave 2, and it is most of the training time).
// --feature-set trains an older n-gram feature set; --no-floor chooses thresholds by cost alone, without the
// model-alone recall floor (as before wave 6).
import { parseArgs } from 'node:util';
import { corpusWaves, loadCorpus } from './corpus';
import { INTENTS, NLU_LOCALES, type NluLocale } from './intents';
import { confusionTable, figures, fmt, type Outcome } from './figures';
import { MODEL_ALONE, fitAndScore, outOfFold, outOfWave, thresholdsByCost, withThresholds, type Scored } from './train-model';
import { outcomesOf } from './cv-outcomes';

function line(name: string, rows: Array<Outcome & { locale: NluLocale }>): string {
  const f = figures(rows);
  const zh = figures(rows.filter((r) => r.locale === 'zh'));
  const en = figures(rows.filter((r) => r.locale === 'en'));
  return `| ${name} | ${f.n} | ${fmt(f.accuracy)} (zh ${fmt(zh.accuracy)} / en ${fmt(en.accuracy)}) | ${fmt(f.riskRecall)} (${fmt(zh.riskRecall)} / ${fmt(en.riskRecall)}) | ${fmt(f.riskPrecision)} | ${f.missed} | ${f.falseAlarms} | ${f.cost} |`;
}

async function main() {
  const { values } = parseArgs({ options: { nlpjs: { type: 'boolean', default: false }, errors: { type: 'string' }, since: { type: 'string', default: 'wave6' }, 'feature-set': { type: 'string' }, 'no-floor': { type: 'boolean', default: false } }, strict: true });
  const started = Date.now();
  const corpus = loadCorpus('corpus');
  const folds: Scored[] = await outOfFold(corpus, (m) => process.stderr.write(`cv: ${m}\n`), {
    nlpjs: values.nlpjs,
    featureSet: values['feature-set'] ? Number(values['feature-set']) : undefined,
  });
  const base = MODEL_ALONE;
  const { byLocale } = values['no-floor'] ? thresholdsByCost(folds, base, 0) : thresholdsByCost(folds, base);
  const rows = outcomesOf(folds, withThresholds(base, byLocale));
  const waves = corpusWaves('corpus');
  const old = rows.filter((r) => waves.get(`${r.locale}:${r.s.u.text}`) !== values.since);
  const out: string[] = [];
  out.push(`thresholds zh ${byLocale.zh} en ${byLocale.en} (${Math.round((Date.now() - started) / 1000)} s)`);
  out.push('| subset | n | accuracy (zh / en) | at-risk recall (zh / en) | precision | missed | false alarms | cost |', '|---|---:|---|---|---:|---:|---:|---:|');
  out.push(line('all', rows), line(`before ${values.since}`, old), line('voice', rows.filter((r) => r.s.u.voice)), line('typed', rows.filter((r) => !r.s.u.voice)));
  for (const l of NLU_LOCALES) out.push('', `confusion ${l} (rows true, columns predicted)`, ...confusionTable(rows.filter((r) => r.locale === l)));
  if (values.errors) {
    out.push('', 'misclassified (true → predicted, cues):');
    for (const r of rows) {
      if (r.truth === r.predicted) continue;
      if (values.errors !== 'all' && values.errors !== r.locale) continue;
      const top = INTENTS.map((i) => [i, r.s.ngram[i]] as const).sort((a, b) => b[1] - a[1]).slice(0, 2).map(([i, p]) => `${i.slice(0, 5)} ${p.toFixed(2)}`).join(', ');
      out.push(`${r.locale} ${r.s.u.voice ? 'V' : 'T'} ${r.truth} → ${r.predicted} [${top}] [${r.s.cueNames.join(',')}] ${r.s.u.text}`);
    }
  }
  // Grouped (leave-one-wave-out) cross-validation and the dev set, under thresholds chosen on the random folds and
  // on the grouped folds (each with the model-alone recall floor, cue-blind), so the choice can be compared.
  const grouped = await outOfWave(corpus, (u) => waves.get(`${u.locale}:${u.text}`), (m) => process.stderr.write(`cv: ${m}\n`), {
    featureSet: values['feature-set'] ? Number(values['feature-set']) : undefined,
  });
  const dev = await fitAndScore(corpus, loadCorpus('dev'), { nlpjs: false, featureSet: values['feature-set'] ? Number(values['feature-set']) : undefined });
  const groupedTh = (values['no-floor'] ? thresholdsByCost(grouped, base, 0) : thresholdsByCost(grouped, base)).byLocale;
  out.push('', '| thresholds chosen on | zh / en | scored on | n | accuracy (zh / en) | at-risk recall (zh / en) | precision | missed | false alarms | cost |', '|---|---|---|---:|---|---|---:|---:|---:|---:|');
  for (const [name, th] of [['random 5-fold', byLocale], ['grouped (by wave)', groupedTh]] as const) {
    const c = withThresholds(base, th);
    for (const [set, scored] of [['random 5-fold', folds], ['grouped', grouped], ['dev', dev]] as const) {
      out.push(line(`${name} | ${th.zh} / ${th.en} | ${set}`, outcomesOf(scored, c)));
    }
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

main().catch((err) => {
  process.stderr.write(`cv: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
