// Public surface of reply understanding. Everything else in nlu-models/src is internal.
import { existsSync } from 'node:fs';
import type { Classifier } from './intents';
import { buildClassifier } from './classifier';
import { DEFAULT_MODEL_FILE, readModelFile } from './model-file';

export { detectLocale } from './text';
export { extractPayment } from './payment';
export type { Classification, Classifier, PaymentDetails, Intent, NluLocale } from './intents';

const cache = new Map<string, Promise<Classifier>>();

// nlp.js and lang-zh print progress ("Compiling dictionary") with console.log; stdout belongs to callers such
// as the JSONL CLI, and the one line that matters is written to stderr explicitly.
async function withQuietConsole<T>(fn: () => Promise<T>): Promise<T> {
  const { log, info } = console;
  console.log = () => {};
  console.info = console.log;
  try {
    return await fn();
  } finally {
    console.log = log;
    console.info = info;
  }
}

/**
 * Loads the committed model (nlu-models/model.json by default). If the file is missing, trains from the corpus
 * in-process, which takes about a minute. One instance per model file per process.
 */
export function loadClassifier(opts: { modelFile?: string } = {}): Promise<Classifier> {
  const file = opts.modelFile ?? DEFAULT_MODEL_FILE;
  let pending = cache.get(file);
  if (!pending) {
    pending = withQuietConsole(async () => {
      if (existsSync(file)) return buildClassifier(readModelFile(file));
      process.stderr.write(`nlu: ${file} not found, training from the corpus in-process (run \`npm run train\` to keep a model file)\n`);
      // Training pulls in nlp.js and the corpus; a process that only classifies never loads them.
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { trainModel } = require('./train-model') as typeof import('./train-model');
      const { loadCorpus } = require('./corpus') as typeof import('./corpus');
      /* eslint-enable @typescript-eslint/no-require-imports */
      return buildClassifier(await trainModel(loadCorpus('corpus')));
    });
    pending.catch(() => cache.delete(file));
    cache.set(file, pending);
  }
  return pending;
}
