import type { CheckIssue } from './types';

/** One issue as the CLI prints it: where, what, and how to fix it. */
export function formatIssue(i: CheckIssue): string {
  const where = i.line ? `${i.file}:${i.line}` : i.file;
  const state = i.state ? ` state '${i.state}'` : '';
  return `${where}${state}: ${i.severity} [${i.rule}] ${i.message}\n    fix: ${i.fix}`;
}
