import { loadCorpus } from './src/corpus';
import { contentOf } from './src/text';
import { trainNlpjs, makeSyncScorer, processAsync, exportNlpjs } from './src/nlpjs';
async function main() {
  const c = loadCorpus('corpus');
  let t = Date.now();
  const nlp = await trainNlpjs(c.map((u) => ({ ...u, text: contentOf(u.text) })).filter((u) => u.text));
  console.error('train ms', Date.now() - t, 'export bytes', exportNlpjs(nlp).length);
  const d = loadCorpus('dev');
  for (const loc of ['zh', 'en'] as const) {
    const s = makeSyncScorer(nlp, loc);
    let ok = 0, n = 0, diff = 0;
    for (const u of d.filter((x) => x.locale === loc)) {
      const sc = s(contentOf(u.text));
      const a = await processAsync(nlp, loc, contentOf(u.text));
      for (const k of Object.keys(sc)) if (Math.abs((sc as any)[k] - (a as any)[k]) > 1e-9) { diff++; break; }
      const best = Object.entries(sc).sort((x, y) => y[1] - x[1])[0][0];
      n++; if (best === u.intent) ok++;
    }
    console.error(loc, 'acc', ok / n, 'diff', diff);
  }
}
main();
