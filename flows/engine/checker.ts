// Every rule a flow must pass before the server will run it.
import { checkGraph } from './checker-graph';
import { checkText } from './checker-text';
import type { CompiledFlow } from './compiled';
import type { LineOf } from './parse';
import type { CheckIssue } from './types';

export function checkFlow(flow: CompiledFlow, lineOf?: LineOf): CheckIssue[] {
  const issues: CheckIssue[] = [];
  const emit = (i: Omit<CheckIssue, 'file' | 'severity'> & { severity?: CheckIssue['severity']; path?: (string | number)[] }) => {
    const { path, severity, ...rest } = i;
    const line = path && lineOf ? lineOf(path) : undefined;
    issues.push({ severity: severity ?? 'error', file: flow.file, ...(line ? { line } : {}), ...rest });
  };
  checkGraph(flow, emit);
  checkText(flow, emit);
  return issues;
}
