// The second, light model: softmax regression over character n-grams (Chinese has no word boundaries, and
// n-grams survive typos and homophone slips) plus word uni/bigrams for English. Deterministic training.
import { INTENTS, type Intent, type NluLocale } from './intents';
import type { Scores } from './nlpjs';

export interface NgramModel {
  locale: NluLocale;
  features: string[];
  /** Weights quantised to int16 (×1/scale), feature-major, INTENTS order, base64. */
  weights: string;
  bias: number[];
  scale: number;
  /** Which features the model was trained on (FEATURE_SETS); absent in files from before feature set 2: 1. */
  featureSet?: number;
}

/**
 * 1: character and word n-grams, negation scope, refusals, cue signals. 2: also the reply's length as one bucketed
 * feature ("len:1" … "len:32", characters for zh, words for en), so that a reply too short to say anything leans on
 * what short replies usually are ("ok", "嗯", "有") instead of on the bias towards the largest (at-risk) classes.
 * 3 (wave 8): set 2's features, with English character n-grams weighted 0.4 beside the others (featureWeight);
 * chosen on grouped (leave-one-wave-out) cross-validation. Chinese is as in set 2.
 * 4 (wave 9): set 3 without the cue rules' `c:` signals among the features (the other signals stay).
 * 5 (after wave 10): set 4, with an English word in negation scope giving only its negated feature (no plain word or
 * bigram), and an opening "no" not a negator. Chosen on grouped cross-validation with the wave-10 writers held out.
 */
export const FEATURE_SET = 5;

const ZH_NEGATORS = new Set(['没', '不', '别', '未']);
const EN_NEGATORS = new Set(['not', 'no', 'never', 'didnt', 'dont', 'wont', 'havent', 'hasnt', 'cant', 'nothing', 'nobody', 'refused', 'wasnt', 'isnt', 'nor', 'almost', 'nearly']);

// A refusal anywhere ("…payday loan i refused", "让我转安全账户我拒绝了") is one feature the model can weigh against
// the scam words around it; refusing to tell anyone is obeying the fraudster, so it does not count.
const REFUSES = {
  zh: /拒绝了|我(没|没有)(同意|答应|照做)|我才不|我(坚决|绝对)?(没|没有|不会|不)(转|借|贷|交|付|充|给)/,
  en: /\bi (refused|declined|said no|turned (it|them|him|her) down)\b(?! to (tell|talk|say|speak|answer|believe))|\bno way\b|\bnot happening\b|\bi (wont|will not|am not going to|im not going to|didnt|did not|never) (pay|send|transfer|borrow|wire|deposit|take out|do it|give)\b/,
};

const lengthBucket = (n: number) => (n <= 1 ? 1 : n <= 2 ? 2 : n <= 4 ? 4 : n <= 8 ? 8 : n <= 16 ? 16 : 32);

/** Character and word n-grams of the content, plus the cue machinery's signals about the reply (`extra`). */
export function ngramFeatures(content: string, locale: NluLocale, extra: readonly string[] = [], featureSet = FEATURE_SET): string[] {
  const out = new Set<string>();
  if (featureSet >= 2) {
    const n = locale === 'zh' ? [...content.replace(/\s+/g, '')].length : content.split(/\s+/).filter(Boolean).length;
    out.add(`len:${lengthBucket(n)}`);
  }
  // Set 4: a cue rule that fires makes the reply at risk on its own (decide), so its signal as a feature adds nothing
  // to recall and lets the model explain the at-risk replies of the corpus by the rule instead of by their words.
  for (const e of extra) if (featureSet < 4 || !e.startsWith('c:')) out.add(`x:${e}`);
  if (REFUSES[locale].test(content.replace(/'/g, ''))) out.add('x:refuses');
  const words = content.replace(/'/g, '').split(/\s+/).filter(Boolean);
  if (locale === 'zh') {
    const s = content.replace(/\s+/g, '');
    const chars = [...s];
    for (let i = 0; i < chars.length; i += 1) {
      out.add(chars[i]);
      if (i + 1 < chars.length) out.add(chars[i] + chars[i + 1]);
      if (i + 2 < chars.length) out.add(chars[i] + chars[i + 1] + chars[i + 2]);
    }
    for (const w of words) if (/^[a-z]+$/.test(w)) out.add(`w:${w}`);
    // Negation scope: "没有转" and "不转了" should not look like "转了".
    for (let i = 0; i < chars.length; i += 1) {
      if (!ZH_NEGATORS.has(chars[i])) continue;
      for (let j = i + 1; j <= i + 3 && j < chars.length; j += 1) if (!ZH_NEGATORS.has(chars[j])) out.add(`n:${chars[j]}`);
    }
  } else {
    let negatedUntil = -1;
    // What a refusal answers ("they pushed me to take a payday loan i refused") is in its scope, as after a negator.
    // Only a refusal that closes the reply: "when i refused he said i'd be arrested" is still pressure.
    const joined = words.join(' ');
    const refusal = REFUSES.en.exec(joined);
    const after = refusal ? joined.slice(refusal.index + refusal[0].length).split(' ').filter(Boolean) : [];
    const closes = refusal && after.length <= 4 && !after.some((w) => /^(he|she|they|but|then|so|and)$/.test(w));
    const refusedBefore = closes ? joined.slice(0, refusal.index).split(' ').filter(Boolean).length : 0;
    // Set 5: a negated word has no plain word or bigram feature ("i have not sent them any money" gives n:sent, not
    // w:sent; its character n-grams stay, weighted low), and a reply's opening "no" answers the warning instead of
    // negating what follows ("no i already sent it").
    const scopeReplaces = featureSet >= 5;
    const negated = words.map(() => false);
    for (let i = 0; i < words.length; i += 1) {
      if (i < refusedBefore) negated[i] = true;
      else if (EN_NEGATORS.has(words[i]) && !(scopeReplaces && i === 0 && words[i] === 'no')) negatedUntil = i + 3;
      else if (i <= negatedUntil) negated[i] = true;
    }
    for (let i = 0; i < words.length; i += 1) {
      // Before set 5 a word a refusal answers is only its negated self, a word after a negator is both.
      const refused = i < refusedBefore;
      const plain = scopeReplaces ? !negated[i] : !refused;
      if (negated[i]) out.add(`n:${words[i]}`);
      if (plain) {
        out.add(`w:${words[i]}`);
        if (i + 1 < words.length) out.add(`b:${words[i]} ${words[i + 1]}`);
      }
      if (refused && !scopeReplaces) continue;
      const padded = `<${words[i]}>`;
      for (let n = 3; n <= 4; n += 1) for (let j = 0; j + n <= padded.length; j += 1) out.add(padded.slice(j, j + n));
    }
  }
  return [...out];
}

// Feature set 3: in English the character n-grams inside words (every word gives several) count this much beside
// the words, bigrams, negation scope, length and cue signals; at 1 they outnumber and drown the word-level evidence.
const CHAR_NGRAM_WEIGHT: Record<NluLocale, number> = { zh: 1, en: 0.4 };

/** A feature's value in the reply's vector (before the length normalisation): 1 in sets 1 and 2. */
export function featureWeight(f: string, locale: NluLocale, featureSet: number): number {
  if (featureSet < 3) return 1;
  // Character n-grams are the only features without a "kind:" prefix (the content has no punctuation).
  return f.includes(':') ? 1 : CHAR_NGRAM_WEIGHT[locale];
}

// A small seeded generator keeps training order, and so the model file, reproducible.
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const K = INTENTS.length;

export interface NgramTrainOptions {
  epochs?: number;
  lr?: number;
  l2?: number;
  balance?: number;
  featureSet?: number;
}

export function trainNgram(
  items: Array<{ content: string; intent: Intent; extra?: readonly string[] }>,
  locale: NluLocale,
  opts: NgramTrainOptions = {},
): NgramModel {
  // l2 2e-3 (1e-4 until wave 10): with the other writers' wave held out, the stronger penalty ranks the replies
  // nearest the at-risk threshold better (English at 4 misses: 312 → 234 false alarms; Chinese 231 → 174), since a
  // weaker one lets a handful of the main writer's words carry whole classes.
  const { epochs = 60, lr = 1, l2 = 2e-3, balance = 0, featureSet = FEATURE_SET } = opts;
  const index = new Map<string, number>();
  const rows = items.map(({ content, intent, extra }) => {
    const names = ngramFeatures(content, locale, extra, featureSet);
    const feats = names.map((f) => {
      let i = index.get(f);
      if (i === undefined) {
        i = index.size;
        index.set(f, i);
      }
      return i;
    });
    const vals = names.map((f) => featureWeight(f, locale, featureSet));
    const norm = 1 / Math.sqrt(vals.reduce((a, v) => a + v * v, 0) || 1);
    return { feats, vals: vals.map((v) => v * norm), y: INTENTS.indexOf(intent) };
  });
  const F = index.size;
  // Each class counts as if it had (a power of) the same number of examples, so the biggest classes do not
  // pull every unfamiliar reply towards them: weight = (mean class size / class size) ^ balance.
  const sizes = INTENTS.map((_, k) => rows.filter((r) => r.y === k).length);
  const mean = rows.length / INTENTS.filter((_, k) => sizes[k]! > 0).length;
  const classWeight = sizes.map((n) => (n ? (mean / n) ** balance : 0));
  const w = new Float64Array(F * K);
  const b = new Float64Array(K);
  const rand = mulberry32(20261126);
  const order = rows.map((_, i) => i);
  const p = new Float64Array(K);
  for (let epoch = 0; epoch < epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const rate = lr / (1 + epoch * 0.1);
    for (const r of order) {
      const { feats, vals, y } = rows[r];
      const cw = classWeight[y]!;
      let max = -Infinity;
      for (let k = 0; k < K; k += 1) {
        let z = b[k];
        for (let j = 0; j < feats.length; j += 1) z += w[feats[j]! * K + k] * vals[j]!;
        p[k] = z;
        if (z > max) max = z;
      }
      let sum = 0;
      for (let k = 0; k < K; k += 1) sum += (p[k] = Math.exp(p[k] - max));
      for (let k = 0; k < K; k += 1) {
        const g = cw * (p[k] / sum - (k === y ? 1 : 0));
        b[k] -= rate * g;
        for (let j = 0; j < feats.length; j += 1) {
          const f = feats[j]!;
          w[f * K + k] -= rate * (g * vals[j]! + l2 * w[f * K + k]);
        }
      }
    }
  }
  let maxAbs = 0;
  for (const x of w) maxAbs = Math.max(maxAbs, Math.abs(x));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const q = new Int16Array(F * K);
  for (let i = 0; i < q.length; i += 1) q[i] = Math.round(w[i] / scale);
  return {
    locale,
    features: [...index.keys()],
    weights: Buffer.from(q.buffer).toString('base64'),
    bias: [...b].map((x) => Math.round(x * 1e6) / 1e6),
    scale,
    featureSet,
  };
}

export function makeNgramScorer(model: NgramModel): (content: string, extra?: readonly string[]) => Scores {
  const index = new Map(model.features.map((f, i) => [f, i]));
  const buf = Buffer.from(model.weights, 'base64');
  const q = new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2);
  const z = new Float64Array(K);
  const featureSet = model.featureSet ?? 1;
  return (content: string, extra: readonly string[] = []) => {
    const feats = ngramFeatures(content, model.locale, extra, featureSet);
    const vals = feats.map((f) => featureWeight(f, model.locale, featureSet));
    const norm = 1 / Math.sqrt(vals.reduce((a, v) => a + v * v, 0) || 1);
    for (let k = 0; k < K; k += 1) z[k] = model.bias[k];
    for (let j = 0; j < feats.length; j += 1) {
      const i = index.get(feats[j]!);
      if (i === undefined) continue;
      const v = vals[j]! * model.scale * norm;
      for (let k = 0; k < K; k += 1) z[k] += q[i * K + k] * v;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k += 1) max = Math.max(max, z[k]);
    let sum = 0;
    const e = z.map((v) => Math.exp(v - max));
    for (const v of e) sum += v;
    return Object.fromEntries(INTENTS.map((intent, k) => [intent, e[k] / sum])) as Scores;
  };
}
