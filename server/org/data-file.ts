// The organisation's data files (org/units.yaml, org/banks.yaml): read, parsed as YAML and checked against
// their schema, every problem named by its path, so one error tells the operator all there is to fix.
import fs from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';

/** Makes the file's own error from its problems (UnitsFileError, BanksFileError). */
export type FileProblems = (problems: string[]) => Error;

export function readDataFile(file: string, fail: FileProblems): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw fail([`cannot read it: ${(e as Error).message}`]);
  }
}

export function parseDataFile<S extends z.ZodType>(text: string, schema: S, fail: FileProblems): z.output<S> {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw fail([`YAML syntax: ${(e as Error).message.split('\n')[0]}`]);
  }
  const r = schema.safeParse(raw);
  if (!r.success) throw fail(r.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`));
  return r.data;
}
