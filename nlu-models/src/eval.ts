// npm run nlu:eval: the dev set (never trained on) through the committed model → console + nlu-models/REPORT.md.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { INTENTS, isAtRisk, type Intent } from './intents';
import { loadCorpus, NLU_ROOT, type Utterance } from './corpus';
import { loadClassifier } from './index';
import type { Classification } from './intents';

interface Row {
  u: Utterance;
  c: Classification;
}

const pct = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export function riskFigures(rows: Row[]) {
  const tp = rows.filter((r) => isAtRisk(r.u.intent) && r.c.atRisk).length;
  const fn = rows.filter((r) => isAtRisk(r.u.intent) && !r.c.atRisk).length;
  const fp = rows.filter((r) => !isAtRisk(r.u.intent) && r.c.atRisk).length;
  return {
    n: rows.length,
    accuracy: rows.filter((r) => r.c.intent === r.u.intent).length / rows.length,
    riskRecall: tp / (tp + fn),
    riskPrecision: tp / (tp + fp),
    lowConfidenceShare: rows.filter((r) => r.c.lowConfidence).length / rows.length,
  };
}

export async function evaluateDev() {
  const classifier = await loadClassifier();
  const rows: Row[] = loadCorpus('dev').map((u) => ({ u, c: classifier.classify(u.text, u.locale) }));
  return { classifier, rows };
}

function perIntent(rows: Row[]) {
  return INTENTS.map((intent) => {
    const tp = rows.filter((r) => r.u.intent === intent && r.c.intent === intent).length;
    const predicted = rows.filter((r) => r.c.intent === intent).length;
    const actual = rows.filter((r) => r.u.intent === intent).length;
    const p = tp / predicted;
    const rc = tp / actual;
    return { intent, p, r: rc, f1: (2 * p * rc) / (p + rc), n: actual };
  });
}

function confusion(rows: Row[]): string[] {
  const short = (i: Intent) => i.slice(0, 8);
  const head = `| true \\ predicted | ${INTENTS.map(short).join(' | ')} |`;
  const sep = `|---|${INTENTS.map(() => '---:').join('|')}|`;
  const body = INTENTS.map(
    (t) => `| ${t} | ${INTENTS.map((p) => rows.filter((r) => r.u.intent === t && r.c.intent === p).length || '·').join(' | ')} |`,
  );
  return [head, sep, ...body];
}

async function main() {
  const { classifier, rows } = await evaluateDev();
  const slices: Array<[string, Row[]]> = [
    ['all', rows],
    ['zh', rows.filter((r) => r.u.locale === 'zh')],
    ['en', rows.filter((r) => r.u.locale === 'en')],
    ['voice', rows.filter((r) => r.u.voice)],
    ['voice zh', rows.filter((r) => r.u.voice && r.u.locale === 'zh')],
    ['voice en', rows.filter((r) => r.u.voice && r.u.locale === 'en')],
    ['typed', rows.filter((r) => !r.u.voice)],
  ];
  const out: string[] = [];
  out.push(`# NLU evaluation report`, '');
  out.push(`Model \`${classifier.modelVersion}\` on the dev set (${rows.length} replies, never trained on). Written by \`npm run nlu:eval\`.`, '');
  out.push('Targets: at-risk recall ≥ 0.97, at-risk precision ≥ 0.85, 9-intent accuracy ≥ 0.85.', '');
  out.push('| slice | n | accuracy | at-risk recall | at-risk precision | lowConfidence share |', '|---|---:|---:|---:|---:|---:|');
  for (const [name, rs] of slices) {
    const f = riskFigures(rs);
    out.push(`| ${name} | ${f.n} | ${pct(f.accuracy)} | ${pct(f.riskRecall)} | ${pct(f.riskPrecision)} | ${pct(f.lowConfidenceShare)} |`);
  }
  out.push('', '## Per intent', '', '| intent | precision | recall | F1 | n |', '|---|---:|---:|---:|---:|');
  for (const x of perIntent(rows)) out.push(`| ${x.intent} | ${pct(x.p)} | ${pct(x.r)} | ${pct(x.f1)} | ${x.n} |`);
  out.push('', '## Confusion matrix (all)', '', ...confusion(rows));
  const pairs = new Map<string, number>();
  for (const r of rows) if (r.c.intent !== r.u.intent) pairs.set(`${r.u.intent} → ${r.c.intent}`, (pairs.get(`${r.u.intent} → ${r.c.intent}`) ?? 0) + 1);
  out.push('', '## Worst confusions', '');
  for (const [k, v] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 8)) out.push(`- ${k}: ${v}`);
  out.push('', '## At-risk replies missed (false negatives)', '');
  for (const r of rows.filter((x) => isAtRisk(x.u.intent) && !x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}): ${r.u.text}`);
  out.push('', '## False alarms (not at risk, flagged at risk)', '');
  for (const r of rows.filter((x) => !isAtRisk(x.u.intent) && x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}; cues: ${r.c.cues.join(', ') || 'none'}): ${r.u.text}`);
  out.push('', '## Other misclassifications', '');
  for (const r of rows.filter((x) => x.c.intent !== x.u.intent && isAtRisk(x.u.intent) === x.c.atRisk)) out.push(`- [${r.u.locale}] ${r.u.intent} → ${r.c.intent} (${r.c.confidence}): ${r.u.text}`);
  const report = `${out.join('\n')}\n`;
  writeFileSync(join(NLU_ROOT, 'REPORT.md'), report);
  process.stdout.write(report);
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`nlu:eval: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
