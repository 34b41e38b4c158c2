import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { INTENTS, NLU_LOCALES, type Intent, type NluLocale } from './intents';

export interface Utterance {
  text: string;
  intent: Intent;
  locale: NluLocale;
  voice: boolean;
}

const FileSchema = z.object({
  intent: z.enum(INTENTS),
  typed: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
  voice: z.array(z.union([z.string(), z.number()]).transform(String)).default([]),
});

export const NLU_ROOT = join(__dirname, '..');

function files(dir: string): Array<{ path: string; locale: NluLocale }> {
  return NLU_LOCALES.flatMap((locale) =>
    readdirSync(join(dir, locale))
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .sort()
      .map((f) => ({ path: join(dir, locale, f), locale })),
  );
}

/** Loads nlu-models/<set>/{zh,en}/*.yaml; duplicates inside a set are an authoring error. */
export function loadCorpus(set: 'corpus' | 'dev', root = NLU_ROOT): Utterance[] {
  const out: Utterance[] = [];
  const seen = new Map<string, string>();
  for (const { path, locale } of files(join(root, set))) {
    const raw = readFileSync(path, 'utf8');
    const parsed = FileSchema.safeParse(path.endsWith('.json') ? JSON.parse(raw) : parse(raw));
    if (!parsed.success) throw new Error(`${path}: ${parsed.error.message}`);
    const { intent, typed, voice } = parsed.data;
    for (const [list, isVoice] of [[typed, false], [voice, true]] as const) {
      for (const text of list) {
        const key = `${locale}:${text.trim()}`;
        const where = seen.get(key);
        if (where) throw new Error(`${path}: "${text}" is already in ${where}`);
        seen.set(key, path);
        out.push({ text: text.trim(), intent, locale, voice: isVoice });
      }
    }
  }
  return out;
}

/** sha256 over the training utterances in a stable order: the model version follows the data. */
export function corpusHash(utterances: Utterance[]): string {
  const h = createHash('sha256');
  for (const u of utterances) h.update(`${u.locale}\t${u.intent}\t${u.text}\n`);
  return h.digest('hex');
}

/** The writing wave of a corpus file, from its name (<intent>.waveN.yaml; no wave suffix = wave1). */
export function waveOfFile(file: string): string {
  return /\.(wave\d+)\.(ya?ml|json)$/.exec(file)?.[1] ?? 'wave1';
}

/**
 * The waves written from a brief by people other than the corpus's main writer: those with a
 * `BRIEF-<wave>.md` beside the corpus. They are the nearest the corpus comes to how the frozen sets and real
 * replies are written.
 */
export function briefedWaves(root = NLU_ROOT): Set<string> {
  const dir = join(root, 'corpus');
  return new Set(readdirSync(dir).flatMap((f) => /^BRIEF-(wave\d+)\.md$/.exec(f)?.[1] ?? []));
}

/** Each reply's writing wave, keyed `${locale}:${text}` as loadCorpus trims it. */
export function corpusWaves(set: 'corpus' | 'dev' = 'corpus', root = NLU_ROOT): Map<string, string> {
  const out = new Map<string, string>();
  for (const { path, locale } of files(join(root, set))) {
    const raw = readFileSync(path, 'utf8');
    const parsed = FileSchema.safeParse(path.endsWith('.json') ? JSON.parse(raw) : parse(raw));
    if (!parsed.success) continue;
    const wave = waveOfFile(path);
    for (const text of [...parsed.data.typed, ...parsed.data.voice]) out.set(`${locale}:${text.trim()}`, wave);
  }
  return out;
}
