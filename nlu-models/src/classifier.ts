import { isAtRisk, type Classification, type Classifier, type NluLocale } from './intents';
import { canonical, contentOf, detectLocale } from './text';
import { detectCues } from './cues';
import { extractPayment } from './payment';
import { importNlpjs, makeSyncScorer, type Scores } from './nlpjs';
import { makeNgramScorer } from './ngram';
import { blend, decide } from './decide';
import { installZhDict } from './zh-dict';
import type { ModelFile } from './model-file';

/** The case's locale is a hint: the script of the reply decides when it has letters (people answer in either). */
export function localeFor(text: string, hint?: NluLocale): NluLocale {
  if (/[\p{L}]/u.test(text)) return detectLocale(text);
  return hint ?? 'zh';
}

export function buildClassifier(model: ModelFile): Classifier {
  installZhDict(model.zhDict);
  const nlp = importNlpjs(model.nlpjs);
  const scorers = {
    zh: { nlp: makeSyncScorer(nlp, 'zh'), ngram: makeNgramScorer(model.ngram.zh) },
    en: { nlp: makeSyncScorer(nlp, 'en'), ngram: makeNgramScorer(model.ngram.en) },
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
      const p: Scores = blend(s.nlp(content), s.ngram(content), cal.nlpjsWeight);
      const cues = detectCues(raw, loc);
      const d = decide(p, cues, cal);
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
