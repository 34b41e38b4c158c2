// npm run nlu:near [-- <corpus or dev yaml>... [--drop]]
// The near-duplicate check on its own, for whoever grows the corpus: counts only. It says how many frozen test-set
// entries have a near-duplicate in the corpus and in the dev set and, given files, how many of those files' replies
// are near-duplicates of a test-set entry (or of a reply in the other set: corpus against dev). It never prints a
// test-set text, nor the reply that matched one (that would show the test text). --drop removes such replies from
// the given files, unseen, so that nothing close to the test set is trained on or measured with; generic replies
// ("ok", "1", "好": isGenericReply) are counted and kept, since every writer writes them alike.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { loadCorpus } from './corpus';
import { NLU_LOCALES, type NluLocale } from './intents';
import { NearDuplicateIndex, isGenericReply, nearDuplicateIndexes, type Text } from './near-duplicates';
import { loadTestsets, presentTestsets, testsetPresent } from './testset';

interface FileCheck {
  file: string;
  replies: number;
  nearTestset: number;
  /** Of those near a test-set entry, the generic ones (isGenericReply): reported, never dropped. */
  generic: number;
  nearOtherSet: number;
  dropped: number;
}

function localeOf(file: string): NluLocale {
  const l = basename(dirname(resolve(file)));
  if (!(NLU_LOCALES as readonly string[]).includes(l)) throw new Error(`${file}: expected nlu-models/<corpus|dev>/<zh|en>/<file>.yaml`);
  return l as NluLocale;
}

function repliesOf(file: string): string[] {
  const doc = parse(readFileSync(file, 'utf8')) as { typed?: unknown[]; voice?: unknown[] };
  return [...(doc.typed ?? []), ...(doc.voice ?? [])].map((t) => String(t).trim());
}

/** Removes the given replies' list items from a YAML file, keeping everything else as written. */
function dropReplies(file: string, replies: Set<string>): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  let dropped = 0;
  const kept = lines.filter((line) => {
    const m = /^\s*-\s+(.*)$/.exec(line);
    if (!m) return true;
    const value = String(parse(m[1]!)).trim();
    if (!replies.has(value)) return true;
    dropped += 1;
    return false;
  });
  // A list whose every item was dropped would read as null, which the loader refuses: it becomes [].
  const emptied = kept.map((line, i) => (/^(typed|voice):\s*$/.test(line) && !/^\s*-\s/.test(kept[i + 1] ?? '') ? `${line.trimEnd()} []` : line));
  writeFileSync(file, emptied.join('\n'));
  return dropped;
}

export function nearDuplicateCheck(opts: { files?: string[]; drop?: boolean; testsetDirs?: string[] }): { testsetInCorpus: number; testsetInDev: number; files: FileCheck[] } {
  const testsetDirs = opts.testsetDirs?.length ? opts.testsetDirs : presentTestsets();
  const missing = opts.testsetDirs?.length ? testsetDirs.filter((d) => !testsetPresent(d)) : [];
  if (!testsetDirs.length || missing.length) throw new Error(`no test set in ${missing.length ? missing.join(', ') : 'nlu-models/testset'}`);
  const test: Text[] = loadTestsets(testsetDirs);
  const corpus = loadCorpus('corpus');
  const dev = loadCorpus('dev');
  const testIndex = new NearDuplicateIndex(test);
  const files = (opts.files ?? []).map((file): FileCheck => {
    const locale = localeOf(file);
    const inDev = resolve(file).split('/').includes('dev');
    const otherSet = new NearDuplicateIndex(inDev ? corpus : dev);
    const replies = repliesOf(file);
    const nearTest = replies.filter((text) => testIndex.has({ text, locale }));
    const nearOther = replies.filter((text) => otherSet.has({ text, locale }));
    // Generic replies are kept against the test sets only: corpus and dev never share a reply, generic or not.
    const specific = nearTest.filter((text) => !isGenericReply(text, locale));
    const dropped = opts.drop ? dropReplies(file, new Set([...specific, ...nearOther])) : 0;
    return { file, replies: replies.length, nearTestset: nearTest.length, generic: nearTest.length - specific.length, nearOtherSet: nearOther.length, dropped };
  });
  const after = opts.drop ? { corpus: loadCorpus('corpus'), dev: loadCorpus('dev') } : { corpus, dev };
  return { testsetInCorpus: nearDuplicateIndexes(test, after.corpus).length, testsetInDev: nearDuplicateIndexes(test, after.dev).length, files };
}

if (require.main === module) {
  const { values, positionals } = parseArgs({ options: { drop: { type: 'boolean', default: false }, testset: { type: 'string', multiple: true } }, allowPositionals: true, strict: true });
  try {
    const r = nearDuplicateCheck({ files: positionals, drop: values.drop, testsetDirs: values.testset });
    for (const f of r.files) {
      process.stdout.write(`${f.file}: ${f.replies} replies, ${f.nearTestset} near a test-set entry${f.generic ? ` (${f.generic} generic, kept)` : ''}, ${f.nearOtherSet} near the ${f.file.includes('/dev/') ? 'corpus' : 'dev set'}${values.drop ? `, ${f.dropped} dropped` : ''}\n`);
    }
    process.stdout.write(`test-set entries with a near-duplicate: ${r.testsetInCorpus} in the corpus, ${r.testsetInDev} in the dev set\n`);
  } catch (err) {
    process.stderr.write(`nlu:near: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  }
}
