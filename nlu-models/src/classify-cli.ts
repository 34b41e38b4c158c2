// npm run -s classify -- --jsonl            JSON lines {"text","locale"?} on stdin → one JSON line each on stdout
// npm run -s classify -- --text "…" [--locale zh|en]
import './quiet-stdout';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadClassifier } from './index';
import type { Classifier } from './intents';

const InputSchema = z.object({
  text: z.string(),
  locale: z.enum(['zh', 'en']).optional(),
  id: z.union([z.string(), z.number()]).optional(),
});

const USAGE = 'usage: classify --jsonl < replies.jsonl | classify --text "我已经转了8千" [--locale zh|en]';

function answer(classifier: Classifier, line: string): string {
  let json: unknown;
  try {
    json = JSON.parse(line.replace(/^\uFEFF/, ''));
  } catch {
    return JSON.stringify({ error: 'line is not valid JSON; expected {"text": "...", "locale"?: "zh"|"en"}' });
  }
  const input = InputSchema.safeParse(json);
  if (!input.success) {
    const issues = input.error.issues.map((i) => `${i.path.join('.') || 'line'}: ${i.message}`).join('; ');
    return JSON.stringify({ error: `invalid input: ${issues}` });
  }
  const { text, locale, id } = input.data;
  return JSON.stringify({ ...(id === undefined ? {} : { id }), ...classifier.classify(text, locale) });
}

async function main() {
  const { values } = parseArgs({
    options: { jsonl: { type: 'boolean' }, text: { type: 'string' }, locale: { type: 'string' } },
    strict: true,
  });
  if (!values.jsonl && values.text === undefined) {
    process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  }
  const classifier = await loadClassifier();
  if (values.text !== undefined) {
    process.stdout.write(`${answer(classifier, JSON.stringify({ text: values.text, locale: values.locale }))}\n`);
    return;
  }
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    // Blank lines separate nothing and get no answer; every other line gets exactly one.
    if (!line.trim()) continue;
    process.stdout.write(`${answer(classifier, line)}\n`);
  }
}

main().catch((err) => {
  process.stderr.write(`classify: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
