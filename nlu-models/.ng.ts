import { loadCorpus } from './src/corpus';
import { contentOf } from './src/text';
import { trainNgram, makeNgramScorer } from './src/ngram';
const c = loadCorpus('corpus'); const d = loadCorpus('dev');
for (const loc of ['zh', 'en'] as const) {
  for (const [ep, lr] of [[30, 0.5], [60, 0.5], [40, 1]]) {
  const t = Date.now();
  const m = trainNgram(c.filter((u) => u.locale === loc).map((u) => ({ content: contentOf(u.text), intent: u.intent })), loc, {epochs: ep, lr});
  const s = makeNgramScorer(m);
  let ok = 0, n = 0;
  for (const u of d.filter((x) => x.locale === loc)) { const sc = s(contentOf(u.text)); const best = Object.entries(sc).sort((a, b) => b[1] - a[1])[0][0]; n++; if (best === u.intent) ok++; }
  console.log(loc, ep, lr, 'acc', (ok / n).toFixed(3), 'ms', Date.now() - t, 'feats', m.features.length, 'bytes', JSON.stringify(m).length);
  }
}
