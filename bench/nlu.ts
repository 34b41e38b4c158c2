// Classifier speed on unique utterances (nlp.js caches repeated texts, so every measured text is new).
// Runnable alone: npx tsx bench/nlu.ts [n]
import { performance } from 'node:perf_hooks';
import { loadCorpus } from '../nlu-models/src/corpus';
import { loadClassifier } from '../nlu-models/src/index';

const FILLERS = {
  zh: ['', '嗯 ', '那个 ', '呃 ', '其实', '就是说'],
  en: ['', 'um ', 'so ', 'well ', 'uh ', 'honestly '],
};

function uniqueTexts(n: number): Array<{ text: string; locale: 'zh' | 'en' }> {
  const base = [...loadCorpus('corpus'), ...loadCorpus('dev')];
  const out: Array<{ text: string; locale: 'zh' | 'en' }> = [];
  for (let i = 0; out.length < n; i += 1) {
    const u = base[i % base.length];
    const round = Math.floor(i / base.length);
    const filler = FILLERS[u.locale][round % FILLERS[u.locale].length];
    out.push({ text: `${filler}${u.text} ${round}`, locale: u.locale });
  }
  return out;
}

export async function benchClassifier(opts: { n?: number } = {}): Promise<{
  nlu_per_s: number;
  /** Classifications per second of this process's own CPU time: what the classifier costs, whatever else the machine runs. */
  nlu_per_cpu_s: number;
  nlu_p50_ms: number;
  nlu_p99_ms: number;
  load_ms: number;
  rss_mb: number;
}> {
  const n = opts.n ?? 20_000;
  const texts = uniqueTexts(n);
  const t0 = performance.now();
  const classifier = await loadClassifier();
  const loadMs = performance.now() - t0;
  for (const t of texts.slice(0, 200)) classifier.classify(`warm ${t.text}`, t.locale);
  const lat = new Float64Array(n);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i += 1) {
    const s = performance.now();
    classifier.classify(texts[i].text, texts[i].locale);
    lat[i] = performance.now() - s;
  }
  const total = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  lat.sort();
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    nlu_per_s: Math.round(n / (total / 1000)),
    nlu_per_cpu_s: Math.round(n / (cpuMs / 1000)),
    nlu_p50_ms: round(lat[Math.floor(n * 0.5)]),
    nlu_p99_ms: round(lat[Math.floor(n * 0.99)]),
    load_ms: Math.round(loadMs),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

if (require.main === module) {
  benchClassifier({ n: Number(process.argv[2]) || undefined })
    .then((r) => process.stdout.write(`${JSON.stringify(r)}\n`))
    .catch((err) => {
      process.stderr.write(`bench/nlu: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    });
}
