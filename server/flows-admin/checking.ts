// The same checks as `flows:check` and `flows:test`, run on a draft held in memory.
import fs from 'node:fs';
import path from 'node:path';
import { parseFlow, type BaseLookup, type CheckIssue, type CompiledFlow } from '../../flows/engine';
import type { ResolvedOverride } from '../../flows/engine/parse';
import { FLOW_TESTS_DIR, runFlowTests, type FlowTestFailure } from '../../flows/engine/flow-tests';

export interface DraftCheck {
  flow?: CompiledFlow;
  issues: CheckIssue[];
  /** A draft that extends a base, resolved against it (also while it has errors): what the graph draws. */
  resolved?: ResolvedOverride;
}

/**
 * Parses and checks a draft (a draft that extends a base flow is resolved against the base's published
 * version, found with `base`); also refuses a draft whose id is not the flow being edited.
 */
export function checkDraft(yamlText: string, opts: { flowId?: string; version?: number; file?: string; base?: BaseLookup }): DraftCheck {
  const file = opts.file ?? `${opts.flowId ?? 'draft'}.yaml`;
  const r = parseFlow(yamlText, { file, version: opts.version, base: opts.base });
  const issues = [...r.issues];
  if (r.flow && opts.flowId && r.flow.id !== opts.flowId) {
    issues.unshift({
      severity: 'error',
      file,
      rule: 'flow_id_changed',
      message: `this draft says id: ${r.flow.id}, but it is the draft of flow '${opts.flowId}'`,
      fix: `keep "id: ${opts.flowId}"; to start a new flow, ask an administrator to add its YAML file to flows/`,
    });
    return { issues };
  }
  return { flow: r.flow, issues, resolved: r.resolved };
}

export interface FlowTestRun {
  /** flows/tests/<id>.yaml, or undefined when the flow has no test file. */
  file?: string;
  conversations: number;
  failures: FlowTestFailure[];
  covered: number;
  total: number;
  /** Transitions no test conversation takes: reported, not blocking (tests are files an engineer edits). */
  untested: string[];
}

/** Runs the flow's test conversations (flows/tests/<id>.yaml, and its base flow's) against this compiled version. */
export function runTestsFor(flow: CompiledFlow, dir: string = FLOW_TESTS_DIR): FlowTestRun {
  const fileOf = (id: string) => ['yaml', 'yml'].map((ext) => `${id}.${ext}`).find((f) => fs.existsSync(path.join(dir, f)));
  const names = [fileOf(flow.id), flow.base ? fileOf(flow.base.id) : undefined].filter((n): n is string => Boolean(n));
  const name = names[0];
  if (!name) return { conversations: 0, failures: [], covered: 0, total: flow.transitions.length, untested: flow.transitions.map((t) => t.id) };
  const report = runFlowTests(new Map([[flow.id, flow]]), dir, { onlyTheseFlows: true });
  const failures = report.failures.filter((f) => names.includes(path.basename(f.file)));
  const cov = report.coverage.find((c) => c.flowId === flow.id);
  return {
    file: path.relative(process.cwd(), path.join(dir, name)),
    conversations: cov?.conversations ?? 0,
    failures,
    covered: cov?.covered ?? 0,
    total: cov?.total ?? flow.transitions.length,
    untested: cov?.missing ?? [],
  };
}

/** The top-level "version: N" line, rewritten so an exported file says which version it is. */
export function withVersionLine(yamlText: string, version: number): string {
  return /^version:[ \t]*\d+[ \t]*$/m.test(yamlText) ? yamlText.replace(/^version:[ \t]*\d+[ \t]*$/m, `version: ${version}`) : yamlText;
}
