// npm run train [-- --with-corrections] [--out <file>]
// The corpus alone → nlu-models/model.json. With --with-corrections, the supervisor-approved desk corrections
// in the database (DATABASE_URL / DATABASE_SCHEMA, as for the server) join it and the model is a candidate,
// nlu-models/candidate.json by default: `npm run nlu:gate` decides whether it replaces the current one.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../store/db';
import { listCorrections } from '../store/repositories/intent-corrections';
import { corpusHash, loadCorpus, NLU_ROOT } from '../../nlu-models/src/corpus';
import { DEFAULT_MODEL_FILE } from '../../nlu-models/src/model-file';
import { loadTestsets, presentTestsets, testsetPresent } from '../../nlu-models/src/testset';
import { mergeCorrections } from '../../nlu-models/src/corrections';
import { runTraining } from '../../nlu-models/src/train';

export const CANDIDATE_MODEL_FILE = path.join(NLU_ROOT, 'candidate.json');

const USAGE = 'usage: npm run train [-- --with-corrections] [--out <model file>]';

export async function nluTrain(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const { values } = parseArgs({ args: argv, options: { 'with-corrections': { type: 'boolean', default: false }, out: { type: 'string' }, testset: { type: 'string', multiple: true } }, strict: true });
  if (!values['with-corrections']) return runTraining({ out: values.out ?? DEFAULT_MODEL_FILE });
  const testsetDirs = values.testset?.length ? values.testset : presentTestsets();
  if (!testsetDirs.length || !testsetDirs.every((d) => testsetPresent(d))) {
    throw new Error(`--with-corrections needs the frozen test sets (${testsetDirs.join(', ') || 'nlu-models/testset'}: zh.yaml, en.yaml) to keep corrections off them and to gate the candidate`);
  }
  const store = await openStore({ url: env.DATABASE_URL || `sqlite://${path.resolve('data', 'quanzu.sqlite')}`, schema: env.DATABASE_SCHEMA || undefined });
  let rows;
  try {
    rows = await listCorrections(store.db, { review: 'approved' });
  } finally {
    await store.close();
  }
  const corpus = loadCorpus('corpus');
  const merged = mergeCorrections(
    corpus,
    rows.map((r) => ({ text: r.text, locale: r.locale, channel: r.channel, intent: r.intent, at: r.corrected_at })),
    { testset: loadTestsets(testsetDirs), dev: loadCorpus('dev') },
  );
  const d = merged.dropped;
  process.stderr.write(
    `train: ${rows.length} approved corrections → ${merged.corrections.length} trained on (${merged.relabelled} relabel a corpus reply); left out: ${d.nearTestset} near the test set, ${d.nearDev} near the dev set, ${d.alreadyInCorpus} already in the corpus, ${d.superseded} superseded, ${d.unusable} unusable\n`,
  );
  return runTraining({ out: values.out ?? CANDIDATE_MODEL_FILE, corpus: merged.corpus, corrections: merged.corrections, corpusHash: corpusHash(corpus) });
}

if (require.main === module) {
  console.log = (...args: unknown[]) => console.error(...args);
  nluTrain(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`train: ${err instanceof Error ? err.message : String(err)}\n${USAGE}\n`);
    process.exit(1);
  });
}
