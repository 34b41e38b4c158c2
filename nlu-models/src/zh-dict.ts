// lang-zh compiles the whole CC-CEDICT dictionary (about 2 s and 200 MB) the first time it segments text.
// The model file carries the slice the classifier can use instead: every single character plus every word made
// only of characters seen in training, each with the stem lang-zh would give it. Training text segments exactly
// as with the full dictionary; unseen words fall apart into characters, which only ever were unknown features.
// Derived from CC-CEDICT (CC BY-SA 4.0) as shipped in @nlpjs/lang-zh.
import { StemmerZh } from '@nlpjs/lang-zh';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dictionary = require('@nlpjs/lang-zh/src/dictionary');

/** word → stem ('' when lang-zh drops the word, e.g. modal particles). */
export type ZhDict = Record<string, string>;

export function buildZhDict(trainingTexts: string[]): ZhDict {
  const stemmer = new StemmerZh();
  const chars = new Set([...trainingTexts.join('')]);
  dictionary.start();
  const words = new Set<string>([...Object.keys(dictionary.simplified), ...Object.keys(dictionary.traditional)]);
  const out: ZhDict = {};
  for (const word of [...words].sort()) {
    const cs = [...word];
    if (cs.length > 1 && !cs.every((c) => chars.has(c))) continue;
    const stem = stemmer.translateToEnglish(word);
    out[word] = typeof stem === 'string' ? stem : '';
  }
  return out;
}

let installed = false;

/** Puts the compact dictionary in place of lang-zh's own; does nothing if the full one is already compiled. */
export function installZhDict(dict: ZhDict): void {
  if (installed || dictionary.cedict) return;
  const entries = new Map<string, unknown[]>();
  let longest = 1;
  for (const [word, stem] of Object.entries(dict)) {
    entries.set(word, [{ simplified: word, traditional: word, pinyin: stem, definition: stem ? '' : '(modal particle)' }]);
    longest = Math.max(longest, word.length);
  }
  dictionary.cedict = 'compact';
  dictionary.simplified = {};
  dictionary.traditional = {};
  // Same answers as lang-zh's own search/getLongestMatch, from a Map and without slices longer than any word.
  dictionary.search = (word: string) => entries.get(word);
  dictionary.getLongestMatch = (text: string) => {
    for (let i = Math.min(longest, 8, text.length); i > 0; i -= 1) {
      const slice = text.slice(0, i);
      if (entries.has(slice)) return slice;
    }
    return undefined;
  };
  installed = true;
}
