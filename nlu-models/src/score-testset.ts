// One model on the frozen test sets, in its own process (lang-zh's dictionary is one per process, so two models
// are never scored side by side in one). Prints one JSON object: the model's version and, per entry, its
// reference, labels and the decision — never a text. Used by the release gate.
import './quiet-stdout';
import { parseArgs } from 'node:util';
import { loadClassifier } from './index';
import { readModelFile } from './model-file';
import { loadTestsets } from './testset';
import { scoreTestset } from './eval';

async function main() {
  const { values } = parseArgs({ options: { model: { type: 'string' }, testset: { type: 'string', multiple: true } }, strict: true });
  if (!values.model || !values.testset?.length) throw new Error('usage: score-testset --model <model.json> --testset <dir> [--testset <dir> …]');
  const model = readModelFile(values.model);
  const classifier = await loadClassifier({ modelFile: values.model });
  const outcomes = scoreTestset(classifier, loadTestsets(values.testset));
  process.stdout.write(
    `${JSON.stringify({
      modelVersion: model.modelVersion,
      trainedOn: model.trainedOn ?? { corpus: model.utterances.zh + model.utterances.en, corrections: 0, correctionsHash: null },
      crossValidation: model.crossValidation,
      outcomes,
    })}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`score-testset: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
