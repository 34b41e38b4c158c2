// The banks' anti-fraud liaison lines (org/banks.yaml, BANKS_FILE) and the stop-payment window for
// first-level accounts. Read and checked once at start.
import path from 'node:path';
import { z } from 'zod';
import { unitNames } from './units-file';
import { parseDataFile, readDataFile } from './data-file';

export const BANKS_FILE = path.resolve(__dirname, '..', '..', 'org', 'banks.yaml');

const bankSchema = z
  .object({
    code: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_-]{2,32}$/, 'must be 2-32 letters, digits, _ or -')
      .transform((c) => c.toUpperCase()),
    name: unitNames,
    antiFraudLine: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number like +861055550101 (the liaison line, dialled by Twilio)'),
  })
  .strict();
export type Bank = z.infer<typeof bankSchema>;

const fileSchema = z
  .object({
    version: z.literal(1),
    firstLevelWindowMinutes: z.number().int().min(1).max(1440).default(30),
    banks: z.array(bankSchema).max(500),
  })
  .strict();

export class BanksFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid banks file ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'BanksFileError';
  }
}

export interface BanksFile {
  banks: Bank[];
  firstLevelWindowMinutes: number;
}

export function parseBanksFile(text: string, file: string): BanksFile {
  const fail = (problems: string[]) => new BanksFileError(file, problems);
  const data = parseDataFile(text, fileSchema, fail);
  const seen = new Set<string>();
  const problems: string[] = [];
  data.banks.forEach((b, i) => {
    if (seen.has(b.code)) problems.push(`banks.${i}: code ${b.code} is used twice`);
    seen.add(b.code);
  });
  if (problems.length) throw fail(problems);
  return data;
}

export function loadBanksFile(file: string = BANKS_FILE): BanksFile {
  return parseBanksFile(readDataFile(file, (problems) => new BanksFileError(file, problems)), file);
}
