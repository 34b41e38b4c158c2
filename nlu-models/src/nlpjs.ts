// nlp.js, the primary statistical model: one neural NLU per locale, trained and run through the core + nlp +
// lang packages directly (the basic bundle's containerBootstrap reads ./.env, ./conf.json and pipelines).
import { containerBootstrap } from '@nlpjs/core';
import { Nlp } from '@nlpjs/nlp';
import { LangEn } from '@nlpjs/lang-en';
import { LangZh } from '@nlpjs/lang-zh';
import { INTENTS, NLU_LOCALES, type Intent, type NluLocale } from './intents';

export type Scores = Record<Intent, number>;

// nlp.js's defaults for every locale, with its per-epoch log lines switched off.
const NLU_SETTINGS = {
  keepStopwords: true,
  nonefeatureValue: 1,
  nonedeltaMultiplier: 1.2,
  spellCheck: false,
  spellCheckDistance: 1,
  filterZeros: true,
  log: false,
};

function newNlp(): any {
  const container = containerBootstrap();
  container.registerConfiguration('nlu-??', NLU_SETTINGS, true);
  container.use(LangEn);
  container.use(LangZh);
  const nlp = new Nlp({ container, autoSave: false, autoLoad: false, languages: [...NLU_LOCALES], nlu: { log: false } });
  nlp.settings.autoSave = false;
  return nlp;
}

export async function trainNlpjs(items: Array<{ text: string; intent: Intent; locale: NluLocale }>): Promise<any> {
  const nlp = newNlp();
  for (const it of items) nlp.addDocument(it.locale, it.text, it.intent);
  await nlp.train();
  return nlp;
}

export function exportNlpjs(nlp: any): string {
  return nlp.export(true);
}

export function importNlpjs(data: string): any {
  const nlp = newNlp();
  nlp.import(data);
  return nlp;
}

function expectSync<T>(value: T | Promise<T>, step: string): T {
  if (value && typeof (value as Promise<T>).then === 'function') {
    throw new Error(`nlp.js step "${step}" turned asynchronous: the synchronous classify path needs updating`);
  }
  return value as T;
}

/**
 * The synchronous form of nlp.js's NLU process for one locale: the same prepare steps as
 * Nlu.defaultPipelinePrepare, then the neural network. Tests check it agrees with nlp.js's async process.
 */
export function makeSyncScorer(nlp: any, locale: NluLocale): (text: string) => Scores {
  const nlu = nlp.nluManager.domainManagers[locale].domains.master_domain;
  const c = nlp.container;
  const normalize = c.get('normalize');
  const tokenizer = c.get(`tokenizer-${locale}`);
  const removeStopwords = c.get('removeStopwords');
  const stemmer = c.get(`stemmer-${locale}`);
  const arrToObj = c.get('arrToObj');
  const settings = nlu.settings;
  return (text: string) => {
    let input: any = { locale, text, settings };
    input = expectSync(normalize.run(input), 'normalize');
    // innerTokenize is what Tokenizer.tokenize runs, minus a per-text cache that would grow for an hour.
    input.tokens = expectSync(tokenizer.innerTokenize(input.text, input), 'tokenize').filter((x: string) => x);
    input = expectSync(removeStopwords.run(input), 'removeStopwords');
    // lang-zh's stem() is declared async but only wraps the synchronous processText() of the whole text.
    input.tokens = expectSync(
      locale === 'zh' ? stemmer.processText(input.utterance || input.text) : stemmer.stem(input.tokens, input),
      'stem',
    );
    input = expectSync(arrToObj.run(input), 'arrToObj');
    const processed: any = { locale, text, settings, tokens: { ...input.tokens } };
    nlu.textToFeatures(processed);
    nlu.innerProcess(processed);
    nlu.filterNonActivated(processed);
    nlu.normalizeClassifications(processed);
    const scores = Object.fromEntries(INTENTS.map((i) => [i, 0])) as Scores;
    for (const { intent, score } of processed.classifications) {
      if (intent in scores) scores[intent as Intent] = score;
    }
    return scores;
  };
}

/** nlp.js's own asynchronous result, used only to check the synchronous path. */
export async function processAsync(nlp: any, locale: NluLocale, text: string): Promise<Scores> {
  const nlu = nlp.nluManager.domainManagers[locale].domains.master_domain;
  const out = await nlu.process(text);
  const scores = Object.fromEntries(INTENTS.map((i) => [i, 0])) as Scores;
  for (const { intent, score } of out.classifications) if (intent in scores) scores[intent as Intent] = score;
  return scores;
}
