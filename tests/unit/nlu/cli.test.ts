import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '../../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const CLI = join(ROOT, 'nlu-models/src/classify-cli.ts');

function run(args: string[], input = '') {
  const r = spawnSync(TSX, [CLI, ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, lines: r.stdout.split('\n').filter((l) => l !== ''), stdout: r.stdout };
}

describe('classify CLI', () => {
  it('answers every JSON line in order, one JSON line each, and nothing else on stdout', () => {
    const input = [
      JSON.stringify({ id: 1, text: '我已经转了8千过去了' }),
      'this is not json',
      JSON.stringify({ id: 3, text: "I didn't send any money", locale: 'en' }),
      JSON.stringify({ id: 4, text: '' }),
      JSON.stringify({ id: 5, txt: 'no text field' }),
      '',
      JSON.stringify({ id: 6, text: 'the officer told me not to tell anyone' }),
    ].join('\n');
    const { status, lines, stdout } = run(['--jsonl'], `${input}\n`);
    expect(status).toBe(0);
    expect(stdout.endsWith('\n')).toBe(true);
    const out = lines.map((l) => JSON.parse(l));
    expect(out).toHaveLength(6);
    expect(out[0]).toMatchObject({ id: 1, intent: 'already_paid', atRisk: true, locale: 'zh' });
    expect(out[1]).toEqual({ error: 'line is not valid JSON; expected {"text": "...", "locale"?: "zh"|"en"}' });
    expect(out[2]).toMatchObject({ id: 3, atRisk: false, locale: 'en' });
    expect(out[3]).toMatchObject({ id: 4, intent: 'other', lowConfidence: true });
    expect(out[4].error).toMatch(/^invalid input: text: /);
    expect(out[5]).toMatchObject({ id: 6, intent: 'mid_scam', atRisk: true });
    for (const o of [out[0], out[2], out[3], out[5]]) {
      expect(Object.keys(o)).toEqual(
        expect.arrayContaining(['intent', 'confidence', 'atRisk', 'locale', 'cues', 'lowConfidence', 'payment', 'modelVersion']),
      );
    }
  });

  it('classifies one text with --text', () => {
    const { status, lines } = run(['--text', 'I already sent him 8000']);
    expect(status).toBe(0);
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ intent: 'already_paid', payment: { amounts: [8000] } });
  });
});
