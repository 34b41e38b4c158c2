// Figures per model version: every model the release gate measured, with what it decided. The report shows
// them as one table, so a release that helped one slice and hurt another is visible later.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { NLU_ROOT } from './corpus';

export const RELEASES_FILE = join(NLU_ROOT, 'releases.json');

const Slice = z.object({ n: z.number(), accuracy: z.number(), riskRecall: z.number().nullable(), riskPrecision: z.number().nullable(), cost: z.number() });
export type SliceSummary = z.infer<typeof Slice>;
const TestSlices = z.object({ all: Slice, zh: Slice, en: Slice, hard: Slice });

export const ReleaseSchema = z.object({
  modelVersion: z.string(),
  at: z.string(),
  /** accepted: became the current model; refused: the gate kept the current one; current: the model a gate run compared against. */
  decision: z.enum(['accepted', 'refused', 'current']),
  reason: z.string(),
  comparedWith: z.string().nullable(),
  trainedOn: z.object({ corpus: z.number(), corrections: z.number() }),
  crossValidation: z.record(z.string(), z.number()),
  /** Every frozen set together (records made before there were two sets: the first set alone). */
  test: TestSlices,
  /** The frozen sets `test` covers; absent = "testset" alone. */
  testSets: z.array(z.string()).optional(),
  /** Each set's own figures, when more than one was measured. */
  bySet: z.record(z.string(), TestSlices).optional(),
});
export type Release = z.infer<typeof ReleaseSchema>;

export function readReleases(file = RELEASES_FILE): Release[] {
  if (!existsSync(file)) return [];
  return z.array(ReleaseSchema).parse(JSON.parse(readFileSync(file, 'utf8')));
}

export function appendReleases(entries: Release[], file = RELEASES_FILE): void {
  writeFileSync(file, `${JSON.stringify([...readReleases(file), ...entries], null, 2)}\n`);
}

const f = (x: number | null) => (x === null || !Number.isFinite(x) ? 'n/a' : x.toFixed(3));

export function releasesTable(releases: Release[]): string[] {
  if (!releases.length) return ['No model has been through the release gate yet (`npm run nlu:gate`).'];
  const out = [
    '| model version | gated at | decision | trained on (corpus + corrections) | test set | n | test acc | test at-risk recall (zh / en) | test at-risk precision | test cost | hard recall | CV recall |',
    '|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of releases) {
    const rows: Array<[string, Release['test']]> = r.bySet ? [...Object.entries(r.bySet), ['all sets', r.test]] : [[(r.testSets ?? ['testset']).join(' + '), r.test]];
    for (const [set, t] of rows) {
      out.push(
        `| \`${r.modelVersion}\` | ${r.at.slice(0, 16).replace('T', ' ')} | ${r.decision} | ${r.trainedOn.corpus} + ${r.trainedOn.corrections} | ${set} | ${t.all.n} | ${f(t.all.accuracy)} | ${f(t.all.riskRecall)} (${f(t.zh.riskRecall)} / ${f(t.en.riskRecall)}) | ${f(t.all.riskPrecision)} | ${t.all.cost} | ${f(t.hard.riskRecall)} | ${f(r.crossValidation.riskRecall ?? null)} |`,
      );
    }
  }
  return out;
}
