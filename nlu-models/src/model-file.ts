import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NLU_ROOT } from './corpus';

export const DEFAULT_MODEL_FILE = join(NLU_ROOT, 'model.json');

const NgramSchema = z.object({
  locale: z.enum(['zh', 'en']),
  features: z.array(z.string()),
  weights: z.string(),
  bias: z.array(z.number()),
  scale: z.number(),
  featureSet: z.number().int().positive().optional(),
});

export const ModelFileSchema = z.object({
  format: z.literal(1),
  modelVersion: z.string().regex(/^nlu-[0-9a-f]{12}$/),
  corpusHash: z.string().regex(/^[0-9a-f]{64}$/),
  utterances: z.object({ zh: z.number(), en: z.number() }),
  /** What the model learnt from: the corpus files and reviewed desk corrections. Absent in older files (corpus only). */
  trainedOn: z.object({ corpus: z.number(), corrections: z.number(), correctionsHash: z.string().nullable() }).optional(),
  calibration: z.object({
    nlpjsWeight: z.number(),
    riskThreshold: z.number(),
    riskThresholdByLocale: z.object({ zh: z.number(), en: z.number() }).partial().optional(),
    lowConfidence: z.number(),
  }),
  /** Out-of-fold figures on the training corpus that chose the calibration. */
  crossValidation: z.record(z.string(), z.number()),
  ngram: z.object({ zh: NgramSchema, en: NgramSchema }),
  /** lang-zh's dictionary slice and the nlp.js model; empty and null when the calibration gave nlp.js no vote. */
  zhDict: z.record(z.string(), z.string()),
  nlpjs: z.string().nullable(),
});
export type ModelFile = z.infer<typeof ModelFileSchema>;

export function readModelFile(path: string): ModelFile {
  const parsed = ModelFileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not a quanzu NLU model (run \`npm run train\`): ${parsed.error.message}`);
  return parsed.data;
}

export function writeModelFile(path: string, model: ModelFile): void {
  writeFileSync(path, `${JSON.stringify(model)}\n`);
}
