// Figures for a set of classified replies: what the report, the tests and the release gate measure.
import { INTENTS, isAtRisk, type Intent } from './intents';

/** One reply as the figures see it: its true intent and what the classifier decided. No text. */
export interface Outcome {
  truth: Intent;
  predicted: Intent;
  atRisk: boolean;
  lowConfidence: boolean;
}

/** A missed at-risk reply leaves a victim without a human; a false alarm costs an officer a few minutes. */
export const MISSED_AT_RISK_COST = 10;
export const FALSE_ALARM_COST = 1;

export interface Figures {
  n: number;
  accuracy: number;
  atRiskN: number;
  riskRecall: number;
  riskPrecision: number;
  lowConfidenceShare: number;
  missed: number;
  falseAlarms: number;
  /** MISSED_AT_RISK_COST × missed + FALSE_ALARM_COST × false alarms: lower is better. */
  cost: number;
}

export function figures(rows: Outcome[]): Figures {
  let correct = 0;
  let tp = 0;
  let fn = 0;
  let fp = 0;
  let low = 0;
  for (const r of rows) {
    if (r.predicted === r.truth) correct += 1;
    if (r.lowConfidence) low += 1;
    const truth = isAtRisk(r.truth);
    if (truth && r.atRisk) tp += 1;
    else if (truth) fn += 1;
    else if (r.atRisk) fp += 1;
  }
  return {
    n: rows.length,
    accuracy: correct / rows.length,
    atRiskN: tp + fn,
    riskRecall: tp / (tp + fn),
    riskPrecision: tp / (tp + fp),
    lowConfidenceShare: low / rows.length,
    missed: fn,
    falseAlarms: fp,
    cost: MISSED_AT_RISK_COST * fn + FALSE_ALARM_COST * fp,
  };
}

export function perIntent(rows: Outcome[]) {
  return INTENTS.map((intent) => {
    const tp = rows.filter((r) => r.truth === intent && r.predicted === intent).length;
    const predicted = rows.filter((r) => r.predicted === intent).length;
    const actual = rows.filter((r) => r.truth === intent).length;
    const p = tp / predicted;
    const rc = tp / actual;
    return { intent, p, r: rc, f1: (2 * p * rc) / (p + rc), n: actual };
  });
}

export const fmt = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

export function confusionTable(rows: Outcome[]): string[] {
  const short = (i: Intent) => i.slice(0, 8);
  const head = `| true \\ predicted | ${INTENTS.map(short).join(' | ')} |`;
  const sep = `|---|${INTENTS.map(() => '---:').join('|')}|`;
  const body = INTENTS.map(
    (t) => `| ${t} | ${INTENTS.map((p) => rows.filter((r) => r.truth === t && r.predicted === p).length || '·').join(' | ')} |`,
  );
  return [head, sep, ...body];
}

export function perIntentTable(rows: Outcome[]): string[] {
  const out = ['| intent | precision | recall | F1 | n |', '|---|---:|---:|---:|---:|'];
  for (const x of perIntent(rows)) out.push(`| ${x.intent} | ${fmt(x.p)} | ${fmt(x.r)} | ${fmt(x.f1)} | ${x.n} |`);
  return out;
}

export function sliceTable(slices: Array<[string, Outcome[]]>): string[] {
  const out = [
    '| slice | n | accuracy | at-risk recall | at-risk precision | missed at risk | false alarms | cost | lowConfidence share |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const [name, rs] of slices) {
    if (!rs.length) continue;
    const f = figures(rs);
    out.push(
      `| ${name} | ${f.n} | ${fmt(f.accuracy)} | ${fmt(f.riskRecall)} | ${fmt(f.riskPrecision)} | ${f.missed} | ${f.falseAlarms} | ${f.cost} | ${fmt(f.lowConfidenceShare)} |`,
    );
  }
  return out;
}
