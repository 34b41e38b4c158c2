import { loadCorpus } from './src/corpus';
import { readModelFile, DEFAULT_MODEL_FILE } from './src/model-file';
import { installZhDict } from './src/zh-dict';
import { importNlpjs, makeSyncScorer } from './src/nlpjs';
import { makeNgramScorer } from './src/ngram';
import { detectCues } from './src/cues';
import { extractPayment } from './src/payment';
import { contentOf } from './src/text';
const m = readModelFile(DEFAULT_MODEL_FILE);
installZhDict(m.zhDict);
const nlp = importNlpjs(m.nlpjs);
const base = [...loadCorpus('corpus'), ...loadCorpus('dev')];
const texts = Array.from({ length: 6000 }, (_, i) => ({ ...base[i % base.length], text: base[i % base.length].text + ' ' + i }));
const sc = { zh: makeSyncScorer(nlp, 'zh'), en: makeSyncScorer(nlp, 'en') };
const ng = { zh: makeNgramScorer(m.ngram.zh), en: makeNgramScorer(m.ngram.en) };
function time(name: string, f: (t: any) => void) { const s = performance.now(); for (const t of texts) f(t); console.log(name, ((performance.now() - s) / texts.length * 1000).toFixed(1), 'us'); }
time('content', (t) => contentOf(t.text));
time('nlpjs', (t) => sc[t.locale as 'zh'](contentOf(t.text)));
time('ngram', (t) => ng[t.locale as 'zh'](contentOf(t.text)));
time('cues', (t) => detectCues(t.text, t.locale));
time('payment', (t) => extractPayment(t.text));
const zh = texts.filter((t) => t.locale === 'zh'), en = texts.filter((t) => t.locale === 'en');
for (const [name, set] of [['zh', zh], ['en', en]] as const) {
  const s = performance.now(); for (const t of set) sc[name](contentOf(t.text)); console.log('nlpjs', name, ((performance.now() - s) / set.length * 1000).toFixed(1));
}
const c = nlp.container;
for (const loc of ['zh', 'en'] as const) {
  const set = loc === 'zh' ? zh : en;
  const tok = c.get(`tokenizer-${loc}`), st = c.get(`stemmer-${loc}`);
  let s = performance.now(); for (const t of set) tok.innerTokenize(contentOf(t.text)); console.log('tok', loc, ((performance.now() - s) / set.length * 1000).toFixed(1));
  s = performance.now(); for (const t of set) loc === 'zh' ? st.processText(contentOf(t.text)) : st.stem(tok.innerTokenize(contentOf(t.text))); console.log('tok+stem', loc, ((performance.now() - s) / set.length * 1000).toFixed(1));
}
