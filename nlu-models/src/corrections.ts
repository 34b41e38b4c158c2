// Reviewed desk corrections as training data. They join the corpus for `npm run train -- --with-corrections`,
// with three guards: none that repeats a test-set or dev-set reply (the measures must stay unseen), no citizen's
// card or phone number in a model file, and one label per reply (the latest correction; it outranks the corpus).
import { INTENTS, NLU_LOCALES, type Intent, type NluLocale } from './intents';
import type { Utterance } from './corpus';
import { NearDuplicateIndex, type Text } from './near-duplicates';
import { canonical } from './text';

export interface CorrectionRecord {
  text: string;
  locale: string;
  channel: string;
  intent: string;
  /** When it was made (ISO): the latest correction of a reply wins. */
  at: string;
}

export interface MergeResult {
  corpus: Utterance[];
  corrections: Utterance[];
  dropped: {
    /** Near-duplicates of a frozen test-set reply: never trained on. */
    nearTestset: number;
    nearDev: number;
    /** Same reply and label as the corpus already has. */
    alreadyInCorpus: number;
    /** Older corrections of a reply corrected again. */
    superseded: number;
    /** Unknown intent or locale, or nothing left to learn from. */
    unusable: number;
  };
  /** Corpus utterances whose label a reviewed correction overrode. */
  relabelled: number;
}

/** Runs of six digits or more (cards, accounts, phones, codes) become zeros: the shape stays, the number goes. */
export const maskDigits = (text: string): string => text.replace(/\d(?:[\s-]?\d){5,}/g, (m) => m.replace(/\d/g, '0'));

const keyOf = (locale: string, text: string) => `${locale}\t${canonical(text)}`;

export function mergeCorrections(corpus: Utterance[], records: CorrectionRecord[], keepOff: { testset: Text[]; dev: Text[] }): MergeResult {
  const dropped = { nearTestset: 0, nearDev: 0, alreadyInCorpus: 0, superseded: 0, unusable: 0 };
  const testIndex = new NearDuplicateIndex(keepOff.testset);
  const devIndex = new NearDuplicateIndex(keepOff.dev);
  const latest = new Map<string, Utterance & { at: string }>();
  for (const r of records) {
    const text = maskDigits(r.text.trim());
    if (!INTENTS.includes(r.intent as Intent) || !NLU_LOCALES.includes(r.locale as NluLocale) || !canonical(text)) {
      dropped.unusable += 1;
      continue;
    }
    const u = { text, intent: r.intent as Intent, locale: r.locale as NluLocale, voice: r.channel === 'voice', at: r.at };
    if (testIndex.has(u)) {
      dropped.nearTestset += 1;
      continue;
    }
    if (devIndex.has(u)) {
      dropped.nearDev += 1;
      continue;
    }
    const key = keyOf(u.locale, u.text);
    const prev = latest.get(key);
    if (prev) dropped.superseded += 1;
    if (!prev || prev.at <= u.at) latest.set(key, u);
  }
  const corpusByKey = new Map(corpus.map((u) => [keyOf(u.locale, u.text), u]));
  const corrections: Utterance[] = [];
  const overridden = new Set<string>();
  for (const [key, u] of [...latest].sort((a, b) => (a[1].at < b[1].at ? -1 : a[1].at > b[1].at ? 1 : a[0] < b[0] ? -1 : 1))) {
    const same = corpusByKey.get(key);
    if (same && same.intent === u.intent) {
      dropped.alreadyInCorpus += 1;
      continue;
    }
    if (same) overridden.add(key);
    corrections.push({ text: u.text, intent: u.intent, locale: u.locale, voice: u.voice });
  }
  return {
    corpus: corpus.filter((u) => !overridden.has(keyOf(u.locale, u.text))),
    corrections,
    dropped,
    relabelled: overridden.size,
  };
}
