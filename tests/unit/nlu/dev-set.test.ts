import { isAtRisk, INTENTS, NLU_LOCALES } from '../../../nlu-models/src/intents';
import { loadCorpus } from '../../../nlu-models/src/corpus';
import { evaluateDev, riskFigures } from '../../../nlu-models/src/eval';

describe('corpora', () => {
  const corpus = loadCorpus('corpus');
  const dev = loadCorpus('dev');

  it('has at least 80 training utterances per locale and intent', () => {
    for (const locale of NLU_LOCALES) {
      for (const intent of INTENTS) {
        expect(corpus.filter((u) => u.locale === locale && u.intent === intent).length).toBeGreaterThanOrEqual(80);
      }
    }
  });

  it('keeps a dev set at least a quarter the size, sharing no utterance with training', () => {
    expect(dev.length * 4).toBeGreaterThanOrEqual(corpus.length);
    const training = new Set(corpus.map((u) => `${u.locale}:${u.text.toLowerCase()}`));
    expect(dev.filter((u) => training.has(`${u.locale}:${u.text.toLowerCase()}`))).toEqual([]);
  });
});

describe('dev set', () => {
  // Since issue 16 a third of the dev set's new replies are near-misses written to trip the classifier (refusals,
  // busy and officer requests full of scam words), so its precision guard sits below the 0.85 target, which is
  // measured on the independent test set (nlu-models/REPORT.md). Wave 5 added 106 dev replies, many of them
  // "yes …" openings and refusals full of scam words; the released model (the gate refused wave 5's candidate,
  // which reaches 0.829) reads 0.814 on the grown set. Wave 10's released model (nlu-293516866d07) puts English's
  // threshold at 0.1 (the grouped-recall floor binds) and so trades precision for recall: 0.805 on the dev set,
  // with the new writers' replies in it. The guard is 0.78: a broken model falls far below it.
  it('finds at least 97% of at-risk replies with at least 78% precision', async () => {
    const { rows } = await evaluateDev();
    const f = riskFigures(rows);
    const atRisk = rows.filter((r) => isAtRisk(r.u.intent));
    const missed = atRisk.filter((r) => !r.c.atRisk).map((r) => r.u.text);
    // On failure the missed replies are listed.
    expect(missed.length <= 0.03 * atRisk.length ? [] : missed).toEqual([]);
    expect(f.riskRecall).toBeGreaterThanOrEqual(0.97);
    expect(f.riskPrecision).toBeGreaterThanOrEqual(0.78);
    expect(f.accuracy).toBeGreaterThanOrEqual(0.85);
  });
});
