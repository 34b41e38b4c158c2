// Near-duplicates between sets that must stay apart: the training corpus (and desk corrections) against the
// frozen test set, and the dev set against it. Two replies are near-duplicates when they are the same after
// normalisation, or when their character shingles overlap by at least NEAR_DUPLICATE_JACCARD.
import { canonical, contentOf } from './text';
import type { NluLocale } from './intents';

/** Jaccard similarity of shingle sets at or above which two replies count as near-duplicates. */
export const NEAR_DUPLICATE_JACCARD = 0.8;

interface Prepared {
  key: string;
  shingles: Set<string>;
}

/** zh: character bigrams without spaces; en: character trigrams of the words, padded. */
function prepare(text: string, locale: NluLocale): Prepared {
  const c = contentOf(text).replace(/'/g, '');
  const content = locale === 'zh' ? c.replace(/\s+/g, '') : c;
  const shingles = new Set<string>();
  // A reply of punctuation, emoji or fillers alone ("。", "👍", "嗯") has no content: it matches only itself.
  const key = content || canonical(text).trim();
  if (!content) return { key, shingles };
  if (locale === 'zh') {
    const chars = [...content];
    if (chars.length === 1) shingles.add(chars[0]!);
    for (let i = 0; i + 1 < chars.length; i += 1) shingles.add(chars[i]! + chars[i + 1]!);
  } else {
    const padded = ` ${content} `;
    for (let i = 0; i + 3 <= padded.length; i += 1) shingles.add(padded.slice(i, i + 3));
  }
  return { key, shingles };
}

/**
 * A reply too short to carry anyone's phrasing ("ok", "1", "好", "在吗", "嗯", "👍"): at most two characters of
 * Chinese content or one English word. Every writer writes these the same way, so one in a test set says nothing
 * about what the corpus leaked; dropping them from the corpus only teaches the model to misread them (a model
 * trained without "1" read it as already_paid).
 */
export function isGenericReply(text: string, locale: NluLocale): boolean {
  const c = contentOf(text).replace(/'/g, '');
  return locale === 'zh' ? [...c.replace(/\s+/g, '')].length <= 2 : c.split(/\s+/).filter(Boolean).length <= 1;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const s of small) if (large.has(s)) inter += 1;
  return inter / (a.size + b.size - inter);
}

export interface Text {
  text: string;
  locale: NluLocale;
}

/** A set of replies to check others against. Built once; each lookup touches only replies sharing shingles. */
export class NearDuplicateIndex {
  private readonly groups = new Map<NluLocale, { exact: Set<string>; items: Prepared[]; bySingle: Map<string, number[]> }>();

  /** `threshold`: the Jaccard similarity that counts (NEAR_DUPLICATE_JACCARD unless given; harsher CV uses lower). */
  constructor(texts: Text[], private readonly threshold = NEAR_DUPLICATE_JACCARD) {
    for (const t of texts) {
      let g = this.groups.get(t.locale);
      if (!g) this.groups.set(t.locale, (g = { exact: new Set(), items: [], bySingle: new Map() }));
      const p = prepare(t.text, t.locale);
      if (!p.key) continue;
      g.exact.add(p.key);
      const at = g.items.push(p) - 1;
      for (const s of p.shingles) {
        const list = g.bySingle.get(s);
        if (list) list.push(at);
        else g.bySingle.set(s, [at]);
      }
    }
  }

  /** Whether the set holds a near-duplicate of this reply. */
  has(t: Text): boolean {
    const g = this.groups.get(t.locale);
    const p = prepare(t.text, t.locale);
    if (!g || !p.key) return false;
    if (g.exact.has(p.key)) return true;
    // Only replies sharing enough shingles can reach the threshold: |A∩B| ≥ J·|A|.
    const shared = new Map<number, number>();
    for (const s of p.shingles) for (const j of g.bySingle.get(s) ?? []) shared.set(j, (shared.get(j) ?? 0) + 1);
    const need = this.threshold * p.shingles.size;
    for (const [j, n] of shared) if (n >= need && jaccard(p.shingles, g.items[j]!.shingles) >= this.threshold) return true;
    return false;
  }
}

/**
 * For each protected reply (the test set), whether any of `others` is a near-duplicate of it. Returns the
 * indexes into `protectedTexts` that have one; the texts themselves are never returned.
 */
export function nearDuplicateIndexes(protectedTexts: Text[], others: Text[]): number[] {
  const index = new NearDuplicateIndex(others);
  return protectedTexts.flatMap((t, i) => (index.has(t) ? [i] : []));
}
