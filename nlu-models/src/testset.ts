// The independent test set: replies written from nlu-models/testset/BRIEF.md by someone who never saw the
// corpus, the dev set or the cue rules. Frozen: read here for evaluation only, never trained on, never edited,
// and its texts never leave the evaluation (reports carry aggregates and entry indexes only).
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENTS, NLU_LOCALES, type Intent, type NluLocale } from './intents';
import { NLU_ROOT } from './corpus';

export const TESTSET_DIR = join(NLU_ROOT, 'testset');
/**
 * Every frozen set, oldest first. Each was written by a separate session from the same brief without reading
 * the corpus; a set stays frozen once written, and a new one is added beside the old rather than editing it
 * (each measurement spends a little of a set's independence). A set counts only once both locales are written.
 */
export const TESTSET_DIRS = [TESTSET_DIR, join(NLU_ROOT, 'testset-2'), join(NLU_ROOT, 'testset-3'), join(NLU_ROOT, 'testset-4'), join(NLU_ROOT, 'testset-5'), join(NLU_ROOT, 'testset-6'), join(NLU_ROOT, 'testset-7')];

export const CHANNELS = ['voice', 'sms', 'telegram'] as const;
export type TestChannel = (typeof CHANNELS)[number];
export const HARD_CLASSES = ['loss_as_loss', 'inoculated', 'vouching', 'on_the_line', 'deleting_app', 'near_miss'] as const;
export type HardClass = (typeof HARD_CLASSES)[number];

const EntrySchema = z.object({
  text: z.union([z.string(), z.number()]).transform(String),
  intent: z.enum(INTENTS),
  channel: z.enum(CHANNELS),
  scamType: z.string().optional(),
  hard: z.union([z.enum(HARD_CLASSES), z.literal('none')]).default('none'),
});

export interface TestEntry {
  /**
   * "zh#17": the locale and the 0-based position in its file (in a later set prefixed by the set, as
   * "testset-2/zh#17"). The only way a report names an entry.
   */
  ref: string;
  /** The set's directory name: "testset", "testset-2". */
  set: string;
  index: number;
  text: string;
  intent: Intent;
  locale: NluLocale;
  channel: TestChannel;
  voice: boolean;
  scamType: string | null;
  hard: HardClass | null;
}

export const testsetPresent = (dir = TESTSET_DIR): boolean => NLU_LOCALES.every((l) => existsSync(join(dir, `${l}.yaml`)));

/** The frozen sets that are present (both locales' files), oldest first. */
export const presentTestsets = (dirs: readonly string[] = TESTSET_DIRS): string[] => dirs.filter((d) => testsetPresent(d));

/** Several sets as one list; refs stay unique because every set after the first is named in them. */
export function loadTestsets(dirs: readonly string[]): TestEntry[] {
  return dirs.flatMap((dir, i) => loadTestset(dir, i > 0));
}

/** Loads <dir>/zh.yaml and <dir>/en.yaml; a malformed entry is reported by its index, never by its text. */
export function loadTestset(dir = TESTSET_DIR, nameSetInRefs = false): TestEntry[] {
  const out: TestEntry[] = [];
  const set = basename(dir);
  for (const locale of NLU_LOCALES) {
    const path = join(dir, `${locale}.yaml`);
    let doc: unknown;
    try {
      doc = parse(readFileSync(path, 'utf8'));
    } catch (err) {
      // The parser's message quotes the offending line: say only where it is.
      const line = (err as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line;
      // eslint-disable-next-line preserve-caught-error -- the cause would print a frozen test reply
      throw new Error(`${path}: not valid YAML${line ? ` (line ${line})` : ''}`);
    }
    if (!Array.isArray(doc)) throw new Error(`${path}: expected a list of entries`);
    doc.forEach((raw, index) => {
      const e = EntrySchema.safeParse(raw);
      if (!e.success) {
        const fields = e.error.issues.map((i) => i.path.join('.') || 'entry').join(', ');
        throw new Error(`${path}: entry ${locale}#${index} is malformed (${fields})`);
      }
      const { text, intent, channel, scamType, hard } = e.data;
      out.push({
        ref: nameSetInRefs ? `${set}/${locale}#${index}` : `${locale}#${index}`,
        set,
        index,
        text: text.trim(),
        intent,
        locale,
        channel,
        voice: channel === 'voice',
        scamType: scamType ?? null,
        hard: hard === 'none' ? null : hard,
      });
    });
  }
  return out;
}
