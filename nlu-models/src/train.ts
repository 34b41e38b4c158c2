// Training from the corpus (and, through server/cli/nlu-train.ts, reviewed desk corrections) → a model file
// stamped with the hash of what it learnt from. Runnable alone for the corpus: npx tsx nlu-models/src/train.ts [--out file]
import { parseArgs } from 'node:util';
import { loadCorpus, type Utterance } from './corpus';
import { DEFAULT_MODEL_FILE, writeModelFile } from './model-file';
import { trainModel } from './train-model';

export async function runTraining(opts: { out: string; corpus?: Utterance[]; corrections?: Utterance[]; corpusHash?: string }): Promise<string> {
  const started = Date.now();
  const corpus = opts.corpus ?? loadCorpus('corpus');
  const model = await trainModel(corpus, { corrections: opts.corrections, corpusHash: opts.corpusHash, log: (m) => process.stderr.write(`train: ${m}\n`) });
  writeModelFile(opts.out, model);
  process.stderr.write(
    `train: wrote ${opts.out} (${model.modelVersion}, ${corpus.length} corpus utterances + ${opts.corrections?.length ?? 0} corrections) in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
  return model.modelVersion;
}

if (require.main === module) {
  console.log = (...args: unknown[]) => console.error(...args);
  const { values } = parseArgs({ options: { out: { type: 'string' } }, strict: true });
  runTraining({ out: values.out ?? DEFAULT_MODEL_FILE }).catch((err) => {
    process.stderr.write(`train: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
