import { loadCorpus } from './src/corpus';
import { contentOf } from './src/text';
import { trainNgram, makeNgramScorer } from './src/ngram';
import { isAtRisk, INTENTS } from './src/intents';
const c = loadCorpus('corpus');
const settings = JSON.parse(process.argv[2] || '[{}]');
for (const opt of settings) {
  let ok = 0, n = 0, tp = 0, fn = 0, fp = 0;
  for (const loc of ['zh', 'en'] as const) {
    const items = c.filter((u) => u.locale === loc);
    for (let f = 0; f < 5; f++) {
      const tr = items.filter((_, i) => i % 5 !== f), te = items.filter((_, i) => i % 5 === f);
      const m = trainNgram(tr.map((u) => ({ content: contentOf(u.text), intent: u.intent })).filter(x => x.content), loc, opt);
      const s = makeNgramScorer(m);
      for (const u of te) {
        const p = s(contentOf(u.text));
        let best = INTENTS.reduce((b, i) => (p[i] > p[b] ? i : b), INTENTS[0]);
        if (!isAtRisk(best) && p.mid_scam + p.already_paid >= 0.3) best = 'mid_scam';
        n++; if (best === u.intent) ok++;
        const t = isAtRisk(u.intent), pr = isAtRisk(best);
        if (t && pr) tp++; if (t && !pr) fn++; if (!t && pr) fp++;
      }
    }
  }
  console.log(JSON.stringify(opt), 'acc', (ok / n).toFixed(3), 'rec', (tp / (tp + fn)).toFixed(3), 'prec', (tp / (tp + fp)).toFixed(3));
}
