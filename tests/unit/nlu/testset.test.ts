// The evaluation on an independent test set, run on a throwaway fixture in the test set's format: loading,
// figures by slice and hard class, the near-duplicate check, and a report that never carries a test text.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadTestset, loadTestsets, presentTestsets, testsetPresent } from '../../../nlu-models/src/testset';
import { nearDuplicateIndexes } from '../../../nlu-models/src/near-duplicates';
import { buildReport, checkNearDuplicates, scoreTestset, testSlices } from '../../../nlu-models/src/eval';
import { figures } from '../../../nlu-models/src/figures';
import { loadClassifier } from '../../../nlu-models/src/index';
import type { Utterance } from '../../../nlu-models/src/corpus';

const FIXTURE = path.join(__dirname, 'fixtures', 'testset');

function tmpTestset(zh: string, en = '[]'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-testset-'));
  fs.writeFileSync(path.join(dir, 'zh.yaml'), zh);
  fs.writeFileSync(path.join(dir, 'en.yaml'), en);
  return dir;
}

describe('test set loading', () => {
  it('reads both files in the brief format, naming each entry by locale and index', () => {
    const entries = loadTestset(FIXTURE);
    expect(entries).toHaveLength(28);
    expect(entries[0]).toMatchObject({ ref: 'zh#0', index: 0, locale: 'zh', intent: 'already_paid', channel: 'sms', voice: false, scamType: 'investment', hard: 'loss_as_loss' });
    expect(entries.find((e) => e.ref === 'zh#6')).toMatchObject({ hard: null, intent: 'safe_aware' });
    expect(entries.find((e) => e.ref === 'en#3')).toMatchObject({ channel: 'voice', voice: true, hard: 'on_the_line' });
  });

  it('says when the set is not there', () => {
    expect(testsetPresent(FIXTURE)).toBe(true);
    expect(testsetPresent(path.join(os.tmpdir(), 'no-such-testset'))).toBe(false);
  });

  it('names a malformed entry by its index and the bad fields, never by its text', () => {
    const dir = tmpTestset('- text: "秘密的句子一"\n  intent: already_paid\n  channel: sms\n- text: "秘密的句子二"\n  intent: paid\n  channel: fax\n');
    expect(() => loadTestset(dir)).toThrow(`${path.join(dir, 'zh.yaml')}: entry zh#1 is malformed (intent, channel)`);
    try {
      loadTestset(dir);
    } catch (err) {
      expect((err as Error).message).not.toContain('秘密');
    }
  });

  it('reports broken YAML by line, without quoting it', () => {
    const dir = tmpTestset('- text: "秘密的句子"\n  intent: [unclosed\n');
    let message = '';
    try {
      loadTestset(dir);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/zh\.yaml: not valid YAML/);
    expect(message).not.toContain('秘密');
  });
});

describe('near-duplicate check', () => {
  const u = (text: string, locale: 'zh' | 'en'): Utterance => ({ text, locale, intent: 'other', voice: false });

  it('finds the same reply after normalisation and small edits, and nothing for different replies', () => {
    const protectedSet = [u('昨天被骗了两万块', 'zh'), u("I'm out about 3 grand already", 'en'), u('我要找民警', 'zh'), u('driving right now, later', 'en')];
    const others = [u('昨天被骗了两万块。', 'zh'), u('im out about 3 grand already!!', 'en'), u('我要找警察同志帮忙', 'zh'), u('I am driving', 'en')];
    expect(nearDuplicateIndexes(protectedSet, others)).toEqual([0, 1]);
  });

  it('counts a reply with a couple of words changed as a near-duplicate', () => {
    const protectedSet = [u('the officer on the phone told me not to tell my family about the case', 'en')];
    expect(nearDuplicateIndexes(protectedSet, [u('the officer on the phone told me not to tell my family about this case', 'en')])).toEqual([0]);
    expect(nearDuplicateIndexes(protectedSet, [u('my family knows nothing about the case', 'en')])).toEqual([]);
  });

  it('matches a reply of punctuation, emoji or fillers alone only to the same reply', () => {
    const protectedSet = [u('。', 'zh'), u('👍', 'en'), u('嗯', 'zh'), u('？', 'zh')];
    expect(nearDuplicateIndexes(protectedSet, [u('。', 'zh'), u(' 👍 ', 'en'), u('嗯嗯', 'zh'), u('好的。', 'zh')])).toEqual([0, 1]);
  });

  it('compares within a locale only', () => {
    expect(nearDuplicateIndexes([u('ok', 'en')], [u('ok', 'zh')])).toEqual([]);
  });

  it('reports test-set entries with a near-duplicate in the corpus or the dev set, by reference', () => {
    const entries = loadTestset(FIXTURE);
    const near = checkNearDuplicates(entries, [u('昨天被骗了两万块', 'zh'), u('totally unrelated words here', 'en')], [u('you have got the wrong number mate', 'en')]);
    // "you have got" for "you've got" is still the same reply.
    expect(near).toEqual({ corpus: ['zh#0'], dev: ['en#9'] });
  });
});

describe('report on the test set', () => {
  it('gives figures per locale, channel and hard class, and the near-duplicates by index, without any test text', async () => {
    const entries = loadTestset(FIXTURE);
    const releasesFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-rel-')), 'releases.json');
    const { report, test } = await buildReport({ testsetDirs: [FIXTURE], releasesFile });
    expect(test).toHaveLength(entries.length);
    const section = report.slice(report.indexOf('## Independent test set'), report.indexOf('## Cross-validation'));
    for (const e of entries) {
      expect(section).not.toContain(e.text);
      // Not even a fragment of a longer reply, anywhere in the report (the dev set's own lists included).
      if (e.text.length > 12) expect(report).not.toContain(e.text.slice(2, 12));
    }
    expect(report).toMatch(/## Independent test set 1: `tests\/unit\/nlu\/fixtures\/testset` \(frozen\)\n\n28 replies \(zh 14, en 14\)/);
    for (const slice of ['all', 'zh', 'en', 'voice', 'sms', 'telegram', 'hard', 'not hard', 'hard: loss_as_loss', 'hard: vouching en', 'hard: near_miss zh']) {
      expect(report).toMatch(new RegExp(`\\n\\| ${slice} \\| \\d+ \\| `));
    }
    expect(report).toMatch(/- in the corpus: \d+/);
    expect(report).toContain('## Dev set');
    expect(report).toContain('No model has been through the release gate yet');
  });

  it('reports a second frozen set apart and then both together, with references that name the set', async () => {
    const second = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-sets-')), 'testset-2');
    fs.mkdirSync(second);
    for (const l of ['zh', 'en']) fs.copyFileSync(path.join(FIXTURE, `${l}.yaml`), path.join(second, `${l}.yaml`));
    const entries = loadTestsets([FIXTURE, second]);
    expect(entries).toHaveLength(56);
    expect(new Set(entries.map((e) => e.ref)).size).toBe(56);
    expect(entries.find((e) => e.ref === 'testset-2/zh#0')).toMatchObject({ set: 'testset-2', index: 0, intent: 'already_paid' });
    expect(presentTestsets([FIXTURE, second, path.join(os.tmpdir(), 'no-such-testset')])).toEqual([FIXTURE, second]);
    const releasesFile = path.join(path.dirname(second), 'releases.json');
    const { report, test } = await buildReport({ testsetDirs: [FIXTURE, second], releasesFile });
    expect(test).toHaveLength(56);
    expect(report).toMatch(/## Independent test set 1: `[^`]*fixtures\/testset` \(frozen\)\n\n28 replies/);
    expect(report).toMatch(/## Independent test set 2: `[^`]*testset-2` \(frozen\)\n\n28 replies/);
    expect(report).toMatch(/## All 2 frozen sets together\n\n56 replies/);
    expect(report.match(/### Near-duplicates \(test set \d\)/g)).toHaveLength(2);
  });

  it('computes each slice from the classifier’s own decisions', async () => {
    const classifier = await loadClassifier();
    const entries = loadTestset(FIXTURE);
    const rows = scoreTestset(classifier, entries);
    const slices = new Map(testSlices(rows));
    const zh = entries.filter((e) => e.locale === 'zh');
    const zhAtRisk = zh.filter((e) => e.intent === 'mid_scam' || e.intent === 'already_paid');
    const caught = zhAtRisk.filter((e) => classifier.classify(e.text, 'zh').atRisk).length;
    expect(figures(slices.get('zh')!).riskRecall).toBeCloseTo(caught / zhAtRisk.length, 10);
    expect(slices.get('hard: on_the_line')!.map((r) => r.ref)).toEqual(['zh#3', 'en#3']);
    expect(rows.every((r) => !('text' in r))).toBe(true);
  });
});
