// `npm run nlu:near -- <files> --drop`: replies near a frozen test-set entry leave the file, and the file still
// loads (a list emptied by the drop is written as [], not as a null the corpus loader refuses); a generic reply
// ("ok", "1", "好") that a test set also has is counted and kept.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { nearDuplicateCheck } from '../../../nlu-models/src/near-duplicates-cli';

describe('nlu:near --drop', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'quanzu-near-'));
    const testset = join(dir, 'testset-x');
    mkdirSync(testset);
    const entry = (text: string, intent: string) => `- text: "${text}"\n  intent: ${intent}\n  channel: sms\n`;
    writeFileSync(join(testset, 'zh.yaml'), entry('我刚刚转了三万块给那个客服', 'already_paid') + entry('好', 'other'));
    writeFileSync(join(testset, 'en.yaml'), entry('I just wired the agent thirty thousand dollars', 'already_paid') + entry('ok', 'other'));
    mkdirSync(join(dir, 'corpus', 'en'), { recursive: true });
    mkdirSync(join(dir, 'corpus', 'zh'), { recursive: true });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drops the near-duplicate, keeps the rest as written, and an emptied list stays a list', () => {
    const file = join(dir, 'corpus', 'en', 'already_paid.waveX.yaml');
    writeFileSync(file, ['# a comment the drop keeps', 'intent: already_paid', 'typed:', '  - "i just wired the agent thirty thousand dollars!"', 'voice:', '  - "um the bank called and i moved my savings over"', ''].join('\n'));
    const r = nearDuplicateCheck({ files: [file], drop: true, testsetDirs: [join(dir, 'testset-x')] });
    expect(r.files).toEqual([expect.objectContaining({ replies: 2, nearTestset: 1, dropped: 1 })]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# a comment the drop keeps');
    expect(parse(text)).toEqual({ intent: 'already_paid', typed: [], voice: ['um the bank called and i moved my savings over'] });
  });

  it('keeps a generic reply a test set also has, and says so', () => {
    const file = join(dir, 'corpus', 'zh', 'other.waveX.yaml');
    writeFileSync(file, ['intent: other', 'typed:', '  - "好"', '  - "我刚刚转了三万块给那个客服！"', '  - "今天天气不错"', 'voice: []', ''].join('\n'));
    const r = nearDuplicateCheck({ files: [file], drop: true, testsetDirs: [join(dir, 'testset-x')] });
    expect(r.files).toEqual([expect.objectContaining({ replies: 3, nearTestset: 2, generic: 1, dropped: 1 })]);
    expect(parse(readFileSync(file, 'utf8'))).toEqual({ intent: 'other', typed: ['好', '今天天气不错'], voice: [] });
  });
});
