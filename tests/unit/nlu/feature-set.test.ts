// Feature sets 3 (wave 8), 4 (wave 9) and 5 (after wave 10) and the grouped calibration rules: older sets keep their features and weights, so a model
// file from before still scores as it was trained; the threshold floor and the low-confidence cap do what they say.
import { INTENTS, type Intent, type NluLocale } from '../../../nlu-models/src/intents';
import { featureWeight, makeNgramScorer, ngramFeatures, trainNgram } from '../../../nlu-models/src/ngram';
import { lowConfidenceLine, thresholdsByCost, type Scored } from '../../../nlu-models/src/train-model';
import type { Scores } from '../../../nlu-models/src/nlpjs';
import type { Calibration } from '../../../nlu-models/src/decide';

describe('n-gram feature set 3', () => {
  it('weighs English character n-grams 0.4 and everything else 1; sets 1 and 2 weigh all features 1', () => {
    const feats = ngramFeatures('he is helping me', 'en', ['c:on_the_line'], 3);
    expect(feats).toEqual(ngramFeatures('he is helping me', 'en', ['c:on_the_line'], 2));
    for (const f of feats) {
      expect(featureWeight(f, 'en', 3)).toBe(f.includes(':') ? 1 : 0.4);
      expect(featureWeight(f, 'en', 2)).toBe(1);
    }
    expect(feats.filter((f) => !f.includes(':'))).toContain('<he');
    for (const f of ngramFeatures('我已经转了', 'zh', [], 3)) expect(featureWeight(f, 'zh', 3)).toBe(1);
  });

  it('records its set in the model, and the scorer uses the set the model was trained on', () => {
    const items: Array<{ content: string; intent: Intent }> = [
      { content: 'i already paid them', intent: 'already_paid' },
      { content: 'thanks i blocked him', intent: 'safe_aware' },
    ];
    const m2 = trainNgram(items, 'en', { featureSet: 2, epochs: 5 });
    const m3 = trainNgram(items, 'en', { featureSet: 3, epochs: 5 });
    expect([m2.featureSet, m3.featureSet]).toEqual([2, 3]);
    const s2 = makeNgramScorer(m2)('i paid');
    expect(makeNgramScorer({ ...m2 })('i paid')).toEqual(s2);
    expect(makeNgramScorer(m3)('i paid').already_paid).toBeGreaterThan(0.5);
  });
});

describe('n-gram feature set 4', () => {
  it('drops the cue rules\' c: signals from the features and keeps the other signals and set 3\'s weights', () => {
    const extra = ['c:on_the_line', 's:refusal'];
    const f3 = ngramFeatures('he is helping me', 'en', extra, 3);
    const f4 = ngramFeatures('he is helping me', 'en', extra, 4);
    expect(f3).toContain('x:c:on_the_line');
    expect(f4).not.toContain('x:c:on_the_line');
    expect(f4).toContain('x:s:refusal');
    expect(f4).toEqual(f3.filter((f) => f !== 'x:c:on_the_line'));
    for (const f of f4) expect(featureWeight(f, 'en', 4)).toBe(featureWeight(f, 'en', 3));
    expect(ngramFeatures('我已经转了', 'zh', ['c:safe_account'], 4)).not.toContain('x:c:safe_account');
  });

  it('scores the same reply alike whether a cue fired or not (the cue acts through decide only)', () => {
    const items: Array<{ content: string; intent: Intent; extra?: string[] }> = [
      { content: 'i already paid them', intent: 'already_paid', extra: ['c:paid'] },
      { content: 'thanks i blocked him', intent: 'safe_aware' },
    ];
    const m4 = trainNgram(items, 'en', { featureSet: 4, epochs: 5 });
    expect(m4.features.some((f) => f.startsWith('x:c:'))).toBe(false);
    const score = makeNgramScorer(m4);
    expect(score('i paid', ['c:paid'])).toEqual(score('i paid', []));
  });
});

describe('n-gram feature set 5', () => {
  it('gives a negated English word only its negated feature, so a denial does not spell the payment', () => {
    const f4 = ngramFeatures('i have not sent them any money', 'en', [], 4);
    const f5 = ngramFeatures('i have not sent them any money', 'en', [], 5);
    expect(f4).toEqual(expect.arrayContaining(['w:sent', 'b:sent them', 'n:sent']));
    expect(f5).toContain('n:sent');
    expect(f5).not.toContain('w:sent');
    expect(f5.filter((f) => f.startsWith('b:') && /\b(sent|them|any)\b/.test(f.slice(2)) && !f.startsWith('b:not'))).toEqual([]);
    // Outside the scope, and the negator's own bigram, stay as they were.
    expect(f5).toEqual(expect.arrayContaining(['w:money', 'w:not', 'b:not sent', '<sen']));
  });

  it("reads a reply's opening 'no' as an answer, not as negating what follows", () => {
    const f5 = ngramFeatures('no i already sent it', 'en', [], 5);
    expect(f5).toEqual(expect.arrayContaining(['w:sent', 'w:already']));
    expect(f5.some((f) => f.startsWith('n:'))).toBe(false);
    expect(ngramFeatures('no i already sent it', 'en', [], 4)).toContain('n:already');
    expect(ngramFeatures('i have no money left', 'en', [], 5)).toContain('n:money');
  });

  it('leaves Chinese features as set 4 has them', () => {
    expect(ngramFeatures('我没有转钱', 'zh', [], 5)).toEqual(ngramFeatures('我没有转钱', 'zh', [], 4));
  });

  it('makes a denial and a payment differ where set 4 could not tell them apart by the plain words', () => {
    const items: Array<{ content: string; intent: Intent }> = [
      { content: 'i sent them the money', intent: 'already_paid' },
      { content: 'i sent it yesterday', intent: 'already_paid' },
      { content: 'i did not send anything', intent: 'safe_aware' },
      { content: 'i blocked them', intent: 'safe_aware' },
    ];
    const denial = 'i have not sent them any money';
    const m4 = makeNgramScorer(trainNgram(items, 'en', { featureSet: 4 }))(denial);
    const m5 = makeNgramScorer(trainNgram(items, 'en', { featureSet: 5 }))(denial);
    expect(m5.already_paid).toBeLessThan(m4.already_paid);
  });
});

const scores = (p: Partial<Record<Intent, number>>): Scores => Object.fromEntries(INTENTS.map((i) => [i, p[i] ?? 0])) as Scores;
const scored = (intent: Intent, p: Partial<Record<Intent, number>>, locale: NluLocale = 'en'): Scored => ({
  u: { text: `${intent} ${JSON.stringify(p)}`, intent, locale, voice: false },
  nlp: scores({}),
  ngram: scores(p),
  cues: [],
  cueNames: [],
});
const base: Calibration = { nlpjsWeight: 0, riskThreshold: 0.5, lowConfidence: 0 };

describe('grouped calibration rules', () => {
  it('drops thresholds whose cue-aware recall falls below the floor, even when they cost less', () => {
    // One at-risk reply at risk 0.22, twenty non-risk replies at 0.21: by cost alone one miss (10) beats twenty alarms,
    // and ties go to the highest threshold.
    const folds = [
      ...Array.from({ length: 40 }, () => scored('mid_scam', { mid_scam: 0.9, other: 0.1 })),
      scored('mid_scam', { mid_scam: 0.22, distrust: 0.78 }),
      ...Array.from({ length: 20 }, () => scored('distrust', { mid_scam: 0.21, distrust: 0.79 })),
    ];
    expect(thresholdsByCost(folds, base, 0).byLocale.en).toBe(0.6);
    expect(thresholdsByCost(folds, base, 0, { en: 0.995 }).byLocale.en).toBe(0.2);
  });

  it('counts the cost on the replies it is told to (the waves written from a brief), and picks another threshold than the cost on all', () => {
    // The main writer's replies: a sure at-risk forty and twenty non-risk replies just under a low threshold.
    // Another writer's: the one at-risk reply only a low threshold finds, and three non-risk replies beside it.
    const main = [...Array.from({ length: 40 }, () => scored('mid_scam', { mid_scam: 0.9, other: 0.1 })), ...Array.from({ length: 20 }, () => scored('distrust', { mid_scam: 0.21, distrust: 0.79 }))];
    const briefed = [scored('mid_scam', { mid_scam: 0.22, distrust: 0.78 }), ...Array.from({ length: 3 }, () => scored('question', { mid_scam: 0.21, question: 0.79 }))];
    const folds = [...main, ...briefed];
    const fromBrief = new Set(briefed);
    // On all replies one miss (10) is cheaper than 23 false alarms; on the briefed ones, 3 false alarms beat the miss.
    expect(thresholdsByCost(folds, base, 0).byLocale.en).toBe(0.6);
    expect(thresholdsByCost(folds, base, 0, {}, (s) => fromBrief.has(s)).byLocale.en).toBe(0.2);
    // A locale with no briefed replies is priced on all of its replies.
    expect(thresholdsByCost(main.concat(briefed), base, 0, {}, () => false).byLocale.en).toBe(0.6);
  });

  it('puts the low-confidence line no higher than sends the capped share to a human', () => {
    // 30% of replies at confidence 0.5 and wrong: the coin-flip rule alone would put the line above them.
    const folds = [
      ...Array.from({ length: 70 }, () => scored('question', { question: 0.95, other: 0.05 })),
      ...Array.from({ length: 30 }, () => scored('question', { other: 0.5, question: 0.45, distrust: 0.05 })),
    ];
    expect(lowConfidenceLine(folds, base)).toBe(0.3);
  });
});

describe('cue-free scoring (cv --cue-free)', () => {
  it('scores held-out replies with no cue override and no c: signal', async () => {
    const { fitAndScore } = await import('../../../nlu-models/src/train-model');
    const train = [
      { text: 'i already paid them', intent: 'already_paid' as const, locale: 'en' as const, voice: false },
      { text: 'thanks i blocked him', intent: 'safe_aware' as const, locale: 'en' as const, voice: false },
    ];
    const test = [{ text: 'they told me to move my money to a safe account', intent: 'mid_scam' as const, locale: 'en' as const, voice: false }];
    const [plain] = await fitAndScore(train, test, { nlpjs: false, featureSet: 3, ngram: { epochs: 5 } });
    const [free] = await fitAndScore(train, test, { nlpjs: false, featureSet: 3, ngram: { epochs: 5 }, cueFree: true });
    expect(plain!.cueNames).toContain('safe_account');
    expect(free!.cues).toEqual([]);
    expect(free!.cueNames).toEqual([]);
  });
});
