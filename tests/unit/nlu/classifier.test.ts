import fc from 'fast-check';
import { loadClassifier } from '../../../nlu-models/src/index';
import { INTENTS, isAtRisk, type Classifier, type Intent } from '../../../nlu-models/src/intents';
import { CUE_RULES } from '../../../nlu-models/src/cues';
import { decide, type Calibration } from '../../../nlu-models/src/decide';
import { corpusHash, loadCorpus } from '../../../nlu-models/src/corpus';
import { DEFAULT_MODEL_FILE, readModelFile } from '../../../nlu-models/src/model-file';
import { readReleases } from '../../../nlu-models/src/releases';
import { modelVersionOf } from '../../../nlu-models/src/train-model';
import { makeSyncScorer, processAsync, trainNlpjs, type Scores } from '../../../nlu-models/src/nlpjs';

let classifier: Classifier;
beforeAll(async () => {
  classifier = await loadClassifier();
});

describe('loadClassifier', () => {
  it('returns the same instance on a second call', async () => {
    expect(await loadClassifier()).toBe(classifier);
  });

  it('loads a model trained on the current corpus, or the released one while the gate refused the corpus\'s candidate', () => {
    const corpus = loadCorpus('corpus');
    const hash = corpusHash(corpus);
    const model = readModelFile(DEFAULT_MODEL_FILE);
    // The corpus may move ahead of the released model only through the release gate: the last gated candidate was
    // trained on this corpus, compared with the model in place, and refused (nlu-models/releases.json).
    const last = readReleases().at(-1);
    if (model.corpusHash !== hash) {
      expect(last).toMatchObject({ decision: 'refused', comparedWith: model.modelVersion, trainedOn: { corpus: corpus.length } });
      return;
    }
    expect(model.corpusHash).toBe(hash);
    // Versioned by what it learnt from and how it decides (a model released with desk corrections: by those too).
    if (!model.trainedOn?.corrections) expect(classifier.modelVersion).toBe(modelVersionOf(hash, model.calibration, model.ngram.zh.featureSet ?? 1));
  });
});

describe('classify', () => {
  it('answers synchronously with the full classification', () => {
    const c = classifier.classify('我已经转了8千过去了');
    expect(c).toMatchObject({ intent: 'already_paid', atRisk: true, locale: 'zh', lowConfidence: false });
    expect(c.payment.amounts).toEqual([8000]);
    expect(c.cues).toContain('already_transferred');
    expect(c.modelVersion).toBe(classifier.modelVersion);
  });

  it.each(["I didn't send any money", '我没有转账', '没有没有 我没转钱'])('does not take "%s" for a payment', (text) => {
    expect(classifier.classify(text).intent).not.toBe('already_paid');
  });

  it.each([
    ['我已经转了两万，能不能让警察给我打个电话', 'zh'],
    ['I already sent 5000, I want to talk to an officer', 'en'],
    ['you people are useless, I paid them 3000 yesterday', 'en'],
    ['我扫了码，输了密码，钱就没了', 'zh'],
  ] as const)('lets already_paid win over other intents in "%s"', (text, locale) => {
    expect(classifier.classify(text, locale)).toMatchObject({ intent: 'already_paid', atRisk: true });
  });

  it.each(['', '   ', '嗯 那个 呃', 'um uh', '。。。'])('treats "%s" as nothing said: other, low confidence', (text) => {
    expect(classifier.classify(text)).toMatchObject({ intent: 'other', atRisk: false, lowConfidence: true, cues: [] });
  });

  it.each([
    ['the officer told me not to tell anyone', 'en'],
    ["I'm about to transfer the unfreezing fee", 'en'],
    ["he's not a scammer, I've known him 3 months", 'en'],
    ['我在操作呢 老师让我先充值', 'zh'],
    ['他不是骗子，我们都认识半年了', 'zh'],
    ['我还没转，要不要转啊', 'zh'],
  ] as const)('flags "%s" as still in the scam', (text, locale) => {
    expect(classifier.classify(text, locale)).toMatchObject({ intent: 'mid_scam', atRisk: true });
  });

  it.each(["I haven't sent it yet, should I?", 'ok I will be careful, but I need to get my money out first'])(
    'keeps "%s" at risk',
    (text) => {
      expect(classifier.classify(text, 'en').atRisk).toBe(true);
    },
  );

  it.each([
    ['对方说要继续转到安全账户', 'zh'],
    ['客服说还得再交一笔解冻费才能提现，我明天去交', 'zh'],
    ['警官要我把定期也取出来转到监管账户', 'zh'],
    ['they say I have to keep transferring to the safe account', 'en'],
    ["I'm going to wire the release fee this afternoon", 'en'],
    ['the agent wants me to send another 2000 tomorrow', 'en'],
  ] as const)('reads "%s" as money still to go: mid_scam, not already_paid', (text, locale) => {
    expect(classifier.classify(text, locale)).toMatchObject({ intent: 'mid_scam', atRisk: true });
  });

  it.each([
    ['转了两万，他们还让我再转', 'zh'],
    ['昨天交了5千保证金，今天又叫我继续交', 'zh'],
    ['I already sent 3000 and now they want me to pay more', 'en'],
    ["paid the release fee yesterday, they're asking me to pay tax now", 'en'],
  ] as const)('keeps already_paid when a payment is stated beside more pressure: "%s"', (text, locale) => {
    expect(classifier.classify(text, locale)).toMatchObject({ intent: 'already_paid', atRisk: true });
  });

  it.each([
    ['ok, I will not pay them anything', 'en'],
    ["I'm not going to transfer a cent to them", 'en'],
    ['they pushed me to take a payday loan, I refused', 'en'],
    ['我不会再给他们转一分钱', 'zh'],
    ['他让我转到安全账户，我拒绝了', 'zh'],
    ['对方叫我借网贷交保证金，我没借', 'zh'],
  ] as const)('does not flag the refusal "%s"', (text, locale) => {
    expect(classifier.classify(text, locale)).toMatchObject({ atRisk: false, cues: [] });
  });

  it('gives the account number apart from the amount', () => {
    expect(classifier.classify('我已经转了8000元到安全账户 6222020200112233445').payment).toEqual({
      amounts: [8000],
      methods: [],
      times: [],
      accounts: ['6222020200112233445'],
    });
  });

  it('follows the script of the reply when the case locale differs', () => {
    expect(classifier.classify('I already paid them 2000', 'zh').locale).toBe('en');
    expect(classifier.classify('8000', 'en').locale).toBe('en');
  });

  it('agrees with nlp.js\'s own asynchronous process on the dev set', async () => {
    // The shipped model may give nlp.js no vote; the synchronous path must still agree whenever it has one.
    const sample = loadCorpus('corpus').filter((_, i) => i % 6 === 0).map((u) => ({ ...u, text: u.text.toLowerCase() }));
    const nlp = await trainNlpjs(sample);
    const dev = loadCorpus('dev').filter((_, i) => i % 15 === 0);
    for (const u of dev) {
      const sync = makeSyncScorer(nlp, u.locale)(u.text.toLowerCase());
      const async = await processAsync(nlp, u.locale, u.text.toLowerCase());
      for (const intent of INTENTS) expect(sync[intent]).toBeCloseTo(async[intent], 9);
    }
  }, 60_000);

  it('loads nlp.js only when the calibration gives it a vote', () => {
    const model = readModelFile(DEFAULT_MODEL_FILE);
    expect(model.nlpjs === null).toBe(model.calibration.nlpjsWeight === 0);
  });
});

describe('decide', () => {
  const cal: Calibration = { nlpjsWeight: 0.2, riskThreshold: 0.3, lowConfidence: 0.6 };
  const scoresArb = fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: INTENTS.length, maxLength: INTENTS.length })
    .map((xs) => {
      const sum = xs.reduce((a, b) => a + b, 0) || 1;
      return Object.fromEntries(INTENTS.map((i, k) => [i, xs[k] / sum])) as Scores;
    });

  it('cues only ever raise risk, and a payment cue always means already_paid', () => {
    fc.assert(
      fc.property(scoresArb, fc.subarray(CUE_RULES), (p, cues) => {
        const without = decide(p, [], cal);
        const withCues = decide(p, cues, cal);
        if (isAtRisk(without.intent)) expect(isAtRisk(withCues.intent)).toBe(true);
        if (cues.some((c) => c.raises === 'already_paid')) expect(withCues.intent).toBe('already_paid');
        else if (cues.some((c) => c.pending)) expect(withCues.intent).not.toBe('already_paid');
      }),
    );
  });

  it('keeps an at-risk reply at risk when its confidence is low', () => {
    const p = Object.fromEntries(INTENTS.map((i) => [i, 0.08])) as Record<Intent, number>;
    p.mid_scam = 0.36;
    expect(decide(p, [], cal)).toEqual({ intent: 'mid_scam', confidence: 0.36, lowConfidence: true });
  });
});
