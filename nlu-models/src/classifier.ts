import { INTENTS, isAtRisk, type Classification, type Classifier, type NluLocale } from './intents';
import { canonical, contentOf, detectLocale } from './text';
import { analyse } from './cues';
import { extractPayment } from './payment';
import type { Scores } from './nlpjs';
import { makeNgramScorer } from './ngram';
import { blend, decide } from './decide';
import type { ModelFile } from './model-file';

/** The case's locale is a hint: the script of the reply decides when it has letters (people answer in either). */
export function localeFor(text: string, hint?: NluLocale): NluLocale {
  if (/[\p{L}]/u.test(text)) return detectLocale(text);
  return hint ?? 'zh';
}

const NO_VOTE = (): Scores => Object.fromEntries(INTENTS.map((i) => [i, 0])) as Scores;

/**
 * nlp.js's scorers, when the calibration gives it a vote. Loaded only then: nlp.js with lang-zh and its
 * dictionary cost every process that classifies tens of megabytes and most of the classification time.
 */
function nlpjsScorers(model: ModelFile): Record<NluLocale, (text: string) => Scores> | null {
  if (!model.nlpjs || model.calibration.nlpjsWeight === 0) return null;
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { installZhDict } = require('./zh-dict') as typeof import('./zh-dict');
  const { importNlpjs, makeSyncScorer } = require('./nlpjs') as typeof import('./nlpjs');
  /* eslint-enable @typescript-eslint/no-require-imports */
  installZhDict(model.zhDict);
  const nlp = importNlpjs(model.nlpjs);
  return { zh: makeSyncScorer(nlp, 'zh'), en: makeSyncScorer(nlp, 'en') };
}

export function buildClassifier(model: ModelFile): Classifier {
  const nlp = nlpjsScorers(model);
  const scorers = {
    zh: { nlp: nlp?.zh ?? NO_VOTE, ngram: makeNgramScorer(model.ngram.zh) },
    en: { nlp: nlp?.en ?? NO_VOTE, ngram: makeNgramScorer(model.ngram.en) },
  };
  const cal = model.calibration;
  const { modelVersion } = model;
  return {
    modelVersion,
    classify(text: string, locale?: NluLocale): Classification {
      const raw = typeof text === 'string' ? text : '';
      const loc = localeFor(canonical(raw), locale);
      const content = contentOf(raw);
      const payment = extractPayment(raw);
      if (!content) {
        return { intent: 'other', confidence: 0, atRisk: false, locale: loc, cues: [], lowConfidence: true, payment, modelVersion };
      }
      const s = scorers[loc];
      const { cues, features } = analyse(raw, loc);
      const ngram = s.ngram(content, features);
      const p: Scores = nlp ? blend(s.nlp(content), ngram, cal.nlpjsWeight) : ngram;
      const d = decide(p, cues, cal, loc);
      return {
        intent: d.intent,
        confidence: Math.round(d.confidence * 10000) / 10000,
        atRisk: isAtRisk(d.intent),
        locale: loc,
        cues: cues.map((c) => c.name),
        lowConfidence: d.lowConfidence,
        payment,
        modelVersion,
      };
    },
  };
}
