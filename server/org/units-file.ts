// The organisation as data (org/units.yaml, UNITS_FILE): the city, its district squads and their police
// stations, the default unit, and the visit deadlines by risk tier. Read and checked once at start; every
// problem is listed with its place in the file.
import path from 'node:path';
import { z } from 'zod';
import { RISK_LEVELS } from '../../flows/engine/vocabulary';
import { parseDataFile, readDataFile } from './data-file';

export const UNITS_FILE = path.resolve(__dirname, '..', '..', 'org', 'units.yaml');

export const UNIT_KINDS = ['city', 'district', 'station'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** The kind a unit's children must be. */
export const CHILD_KIND: Record<UnitKind, UnitKind | null> = { city: 'district', district: 'station', station: null };

/** Unit codes are matched case-insensitively and stored upper-case. */
export const unitCode = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, 'must be 1-32 letters, digits, _ or -, starting with a letter or digit')
  .transform((c) => c.toUpperCase());

const name = z.string().trim().min(1, 'required').max(100);
export const unitNames = z.object({ zh: name, en: name }).strict();
export const unitAliases = z.array(z.string().trim().min(2, 'at least 2 characters: a shorter alias matches too many addresses').max(100)).max(20);

export interface UnitSpec {
  code: string;
  kind: UnitKind;
  name: { zh: string; en: string };
  aliases: string[];
  children: UnitSpec[];
}

const unitSpec: z.ZodType<UnitSpec, unknown> = z.lazy(() =>
  z
    .object({
      code: unitCode,
      kind: z.enum(UNIT_KINDS),
      name: unitNames,
      aliases: unitAliases.default([]),
      children: z.array(unitSpec).default([]),
    })
    .strict(),
) as unknown as z.ZodType<UnitSpec, unknown>;

const minutes = z.number().int().min(5, 'at least 5 minutes').max(10080, 'at most a week (10080)');
export const visitDeadlines = z.object(Object.fromEntries(RISK_LEVELS.map((r) => [r, minutes])) as Record<(typeof RISK_LEVELS)[number], typeof minutes>).strict();
export type VisitDeadlines = z.infer<typeof visitDeadlines>;

const fileSchema = z
  .object({
    version: z.literal(1),
    default: unitCode.optional(),
    visitDeadlineMinutes: visitDeadlines,
    units: z.array(unitSpec).length(1, 'exactly one root unit: the city (a small centre has just that one)'),
  })
  .strict();

export interface UnitsFile {
  /** The one root unit (kind city) with its tree. */
  root: UnitSpec;
  /** Code of the unit a warning with no usable hint goes to (the root unless the file says otherwise). */
  defaultCode: string;
  visitDeadlineMinutes: VisitDeadlines;
}

export class UnitsFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid units file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'UnitsFileError';
  }
}

/** Every unit of the tree, parents before children, with the code of its parent. */
export function flattenUnits(root: UnitSpec): { spec: UnitSpec; parentCode: string | null }[] {
  const out: { spec: UnitSpec; parentCode: string | null }[] = [];
  const walk = (u: UnitSpec, parentCode: string | null) => {
    out.push({ spec: u, parentCode });
    for (const c of u.children) walk(c, u.code);
  };
  walk(root, null);
  return out;
}

/** The tree's own rules: kinds by level, unique codes, a default that exists. */
function treeProblems(root: UnitSpec, defaultCode: string): string[] {
  const problems: string[] = [];
  if (root.kind !== 'city') problems.push(`units.0 (${root.code}): the root unit must be kind city, not ${root.kind}`);
  const seen = new Map<string, string>();
  const walk = (u: UnitSpec, at: string) => {
    const before = seen.get(u.code);
    if (before) problems.push(`${at}: code ${u.code} is used twice (also at ${before})`);
    else seen.set(u.code, at);
    const childKind = CHILD_KIND[u.kind];
    u.children.forEach((c, i) => {
      const cat = `${at}.children.${i}`;
      if (!childKind) problems.push(`${cat} (${c.code}): a station has no units under it`);
      else if (c.kind !== childKind) problems.push(`${cat} (${c.code}): units under a ${u.kind} are kind ${childKind}, not ${c.kind}`);
      walk(c, cat);
    });
  };
  walk(root, 'units.0');
  if (!seen.has(defaultCode)) problems.push(`default: ${defaultCode} is not a unit of this file (codes: ${[...seen.keys()].join(', ')})`);
  return problems;
}

export function parseUnitsFile(text: string, file: string): UnitsFile {
  const data = parseDataFile(text, fileSchema, (problems) => new UnitsFileError(file, problems));
  const root = data.units[0]!;
  const defaultCode = data.default ?? root.code;
  const problems = treeProblems(root, defaultCode);
  if (problems.length) throw new UnitsFileError(file, problems);
  return { root, defaultCode, visitDeadlineMinutes: data.visitDeadlineMinutes };
}

export function loadUnitsFile(file: string = UNITS_FILE): UnitsFile {
  return parseUnitsFile(readDataFile(file, (problems) => new UnitsFileError(file, problems)), file);
}
