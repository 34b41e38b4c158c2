// npm run train: nlu-models/corpus → nlu-models/model.json, stamped with the corpus hash.
import { loadCorpus } from './corpus';
import { DEFAULT_MODEL_FILE, writeModelFile } from './model-file';
import { trainModel } from './train-model';

async function main() {
  console.log = (...args: unknown[]) => console.error(...args);
  const started = Date.now();
  const corpus = loadCorpus('corpus');
  const model = await trainModel(corpus, (m) => process.stderr.write(`train: ${m}\n`));
  writeModelFile(DEFAULT_MODEL_FILE, model);
  process.stderr.write(
    `train: wrote ${DEFAULT_MODEL_FILE} (${model.modelVersion}, ${corpus.length} utterances) in ${Math.round((Date.now() - started) / 1000)} s\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`train: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
