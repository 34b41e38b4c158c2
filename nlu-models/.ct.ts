import { detectCues } from './src/cues';
import { detectLocale } from './src/text';
import { loadCorpus } from './src/corpus';
const c = loadCorpus('corpus');
const d = loadCorpus('dev');
for (const set of [c, d]) for (const u of set) {
  const cues = detectCues(u.text, u.locale);
  const atRisk = u.intent === 'mid_scam' || u.intent === 'already_paid';
  const paidCue = cues.some((x) => x.raises === 'already_paid');
  if ((cues.length && !atRisk) || (paidCue && u.intent !== 'already_paid')) console.log('FP', u.intent, u.text, cues.map((x) => x.name).join());
}
let miss=0,tot=0;
for (const set of [c,d]) for (const u of set) if (u.intent==='already_paid'){tot++; if(!detectCues(u.text,u.locale).some(x=>x.raises==='already_paid')){miss++; console.log('MISSPAID', u.text);}}
console.log('paid cue recall', 1-miss/tot);
