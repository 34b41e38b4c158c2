// YAML text → CompiledFlow, with every schema and checker issue.
import fs from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { checkFlow } from './checker';
import { compile, type CompiledFlow } from './compiled';
import { resolveOverride, type BaseLookup, type FlowSource, type Inheritance } from './extends';
import { ACTION_NAMES, GUARD_NAMES } from './registry';
import { FlowOverrideSchema, FlowSchema, type FlowDef } from './schema';
import { didYouMean } from './suggest';
import type { CheckIssue } from './types';

export const FLOWS_DIR = path.resolve(__dirname, '..');
export const NON_FLOW_FILES = new Set(['policy.yaml']);

type Path = (string | number)[];
export type LineOf = (p: Path) => number | undefined;

export interface ParseOptions {
  file: string;
  version?: number;
  /** Where a flow that `extends` another finds its base; without it such a flow is an error. */
  base?: BaseLookup;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A flow that extends a base, resolved into the whole flow, even when checking it then finds errors (the editor draws it). */
export interface ResolvedOverride {
  raw: Record<string, unknown>;
  inheritance: Inheritance;
}

export function parseFlow(yamlText: string, opts: ParseOptions): { flow?: CompiledFlow; issues: CheckIssue[]; resolved?: ResolvedOverride } {
  const file = opts.file;
  const lines = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      issues: doc.errors.map((e) => ({
        severity: 'error' as const,
        file,
        line: lines.linePos(e.pos[0]).line,
        rule: 'yaml_syntax',
        message: `YAML syntax: ${e.message.split('\n')[0]}`,
        fix: 'check indentation and quoting at that line (quote text that contains ": " or starts with a symbol)',
      })),
    };
  }
  const lineOf: LineOf = (p) => {
    const node = doc.getIn(p, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lines.linePos(node.range[0]).line : undefined;
  };
  let raw: unknown;
  try {
    // Aliases are expanded here: a billion-laughs draft is refused by the yaml library's alias limit.
    raw = doc.toJS();
  } catch (err) {
    return {
      issues: [
        {
          severity: 'error',
          file,
          line: 1,
          rule: 'yaml_syntax',
          message: `YAML syntax: ${String((err as Error)?.message ?? err).split('\n')[0]}`,
          fix: 'use each &anchor / *alias a few times at most (they expand to copies), or write the text out',
        },
      ],
    };
  }
  const issues: CheckIssue[] = [];
  let base: { id: string; version: number } | undefined;
  let inheritance: Inheritance | undefined;
  if (isObj(raw) && 'extends' in raw) {
    const r = resolveBase(raw, file, lineOf, opts.base);
    if (!r.flow) return { issues: r.issues };
    raw = r.flow;
    base = r.base;
    inheritance = r.inheritance;
  }
  const resolved = isObj(raw) && inheritance ? { raw, inheritance } : undefined;
  const flagged = unknownNames(raw, file, lineOf, issues);
  const parsed = FlowSchema.safeParse(raw);
  if (!parsed.success) {
    for (const zi of flatten(parsed.error.issues, [], raw)) {
      if (flagged.some((f) => startsWith(zi.path, f))) continue;
      issues.push(schemaIssue(file, zi, lineOf));
    }
  }
  if (issues.length > 0) return { issues, resolved };
  const def = parsed.data as unknown as FlowDef;
  const flow = compile(def, opts.version ?? def.version ?? 1, yamlText, file, base && inheritance ? { base, inheritance } : undefined);
  issues.push(...checkFlow(flow, lineOf));
  return { flow: issues.some((i) => i.severity === 'error') ? undefined : flow, issues, resolved };
}

/** The override's base, checked, and the whole flow the two make. */
function resolveBase(
  raw: Record<string, unknown>,
  file: string,
  lineOf: LineOf,
  lookup: BaseLookup | undefined,
): { flow?: Record<string, unknown>; base?: { id: string; version: number }; inheritance?: Inheritance; issues: CheckIssue[] } {
  const parsed = FlowOverrideSchema.safeParse(raw);
  if (!parsed.success) return { issues: flatten(parsed.error.issues, [], raw).map((zi) => schemaIssue(file, zi, lineOf)) };
  const baseId = String(raw.extends);
  const at = { file, line: lineOf(['extends']) };
  const source = lookup?.(baseId);
  if (!source) {
    return {
      issues: [{ severity: 'error', ...at, rule: 'unknown_base', message: `extends: ${baseId}, but there is no flow '${baseId}' to inherit from`, fix: 'name an existing flow (e.g. extends: scam_base), or write the whole flow without extends' }],
    };
  }
  const baseRaw = parseDocument(source.yaml, { prettyErrors: false }).toJS() as unknown;
  if (isObj(baseRaw) && 'extends' in baseRaw) {
    return {
      issues: [{ severity: 'error', ...at, rule: 'extends_chain', message: `'${baseId}' itself extends '${String(baseRaw.extends)}': a flow may only extend a whole flow`, fix: `extend '${String(baseRaw.extends)}' directly, or make '${baseId}' a whole flow` }],
    };
  }
  const checked = parseFlow(source.yaml, { file: source.file, version: source.version });
  if (!checked.flow || !isObj(baseRaw)) {
    const first = checked.issues.find((i) => i.severity === 'error');
    return {
      issues: [{ severity: 'error', ...at, rule: 'base_has_errors', message: `the base flow '${baseId}' v${source.version} has errors${first ? `, e.g. ${first.message}` : ''}`, fix: `fix ${source.file} first (npm run -s flows:check -- ${source.file})` }],
    };
  }
  const r = resolveOverride(baseRaw, raw, source.version);
  return { flow: r.flow, base: { id: baseId, version: source.version }, inheritance: r.inheritance, issues: [] };
}

/** The flow files of a folder as sources, by flow id (the first file naming an id wins; loadFlowsDir reports the rest). */
export function flowSourcesIn(dir: string = FLOWS_DIR): Map<string, FlowSource> {
  const out = new Map<string, FlowSource>();
  for (const { rel, text } of flowFiles(dir)) {
    let raw: unknown;
    try {
      raw = parseDocument(text).toJS();
    } catch {
      continue;
    }
    if (!isObj(raw) || typeof raw.id !== 'string' || out.has(raw.id)) continue;
    out.set(raw.id, { id: raw.id, version: typeof raw.version === 'number' ? raw.version : 1, yaml: text, file: rel });
  }
  return out;
}

function flowFiles(dir: string): { rel: string; text: string }[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f) && !NON_FLOW_FILES.has(f))
    .sort()
    .map((name) => {
      const file = path.join(dir, name);
      return { rel: path.relative(process.cwd(), file) || file, text: fs.readFileSync(file, 'utf8') };
    });
}

export function loadFlowsDir(dir: string = FLOWS_DIR): { flows: Map<string, CompiledFlow>; issues: CheckIssue[] } {
  const flows = new Map<string, CompiledFlow>();
  const issues: CheckIssue[] = [];
  const sources = flowSourcesIn(dir);
  for (const { rel, text } of flowFiles(dir)) {
    const r = parseFlow(text, { file: rel, base: (id) => sources.get(id) });
    issues.push(...r.issues);
    if (!r.flow) continue;
    const other = flows.get(r.flow.id);
    if (other) {
      issues.push({
        severity: 'error',
        file: rel,
        rule: 'duplicate_flow_id',
        message: `flow id '${r.flow.id}' is already used by ${other.file}`,
        fix: 'give each flow file its own id',
      });
      continue;
    }
    flows.set(r.flow.id, r.flow);
  }
  return { flows, issues };
}

const startsWith = (p: Path, prefix: Path) => prefix.every((x, i) => p[i] === x);

/** Unknown guard/action names get their own message (with a suggestion) instead of a union error. */
function unknownNames(raw: unknown, file: string, lineOf: LineOf, issues: CheckIssue[]): Path[] {
  const flagged: Path[] = [];
  const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  const state = (p: Path) => (p[0] === 'states' ? String(p[1]) : undefined);
  const checkAction = (a: unknown, p: Path) => {
    if (!obj(a) || typeof a.type !== 'string' || (ACTION_NAMES as string[]).includes(a.type)) return;
    flagged.push(p);
    issues.push({
      severity: 'error', file, line: lineOf(p), state: state(p), rule: 'unknown_action',
      message: `unknown action '${a.type}' at ${p.join('.')}`,
      fix: `use one of: ${ACTION_NAMES.join(', ')}${didYouMean(a.type, ACTION_NAMES)}`,
    });
  };
  const checkTransition = (t: unknown, p: Path) => {
    if (Array.isArray(t)) return t.forEach((x, i) => checkTransition(x, [...p, i]));
    if (!obj(t)) return;
    if (obj(t.guard) && typeof t.guard.type === 'string' && !(GUARD_NAMES as string[]).includes(t.guard.type)) {
      flagged.push([...p, 'guard']);
      issues.push({
        severity: 'error', file, line: lineOf([...p, 'guard']), state: state(p), rule: 'unknown_guard',
        message: `unknown guard '${t.guard.type}' at ${[...p, 'guard'].join('.')}`,
        fix: `use one of: ${GUARD_NAMES.join(', ')}${didYouMean(t.guard.type, GUARD_NAMES)}`,
      });
    }
    if (Array.isArray(t.actions)) t.actions.forEach((a, i) => checkAction(a, [...p, 'actions', i]));
  };
  const checkScope = (s: Record<string, unknown>, p: Path) => {
    if (obj(s.on)) for (const [k, v] of Object.entries(s.on)) checkTransition(v, [...p, 'on', k]);
    if (s.default !== undefined) checkTransition(s.default, [...p, 'default']);
    if (Array.isArray(s.entry)) s.entry.forEach((a, i) => checkAction(a, [...p, 'entry', i]));
  };
  if (!obj(raw)) return flagged;
  checkScope(raw, []);
  if (obj(raw.states)) for (const [k, v] of Object.entries(raw.states)) if (obj(v)) checkScope(v, ['states', k]);
  return flagged;
}

type ZIssue = z.core.$ZodIssue;

/** A union error is reported from the branch that matches the value's shape, so messages point at the real mistake. */
type FlatIssue = { path: Path; linePath: Path; message: string; code: string };
function flatten(list: ZIssue[], base: Path, root: unknown): FlatIssue[] {
  const out: FlatIssue[] = [];
  for (const i of list) {
    const p = [...base, ...(i.path as Path)];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const branches = i.errors.filter((b) => !b.some((x) => x.code === 'invalid_type' && x.path.length === 0));
      const best = (branches.length ? branches : i.errors).sort((a, b) => a.length - b.length)[0];
      if (best.length > 0 && branches.length > 0) {
        out.push(...flatten(best, p, root));
        continue;
      }
    }
    // Point the line at the offending key rather than at its parent.
    const at = i.code === 'unrecognized_keys' && i.keys.length === 1 ? [...p, i.keys[0]] : p;
    out.push({ path: p, linePath: at, message: i.message, code: i.code });
  }
  return out;
}

function schemaIssue(file: string, zi: FlatIssue, lineOf: LineOf): CheckIssue {
  const where = zi.path.length ? zi.path.join('.') : '(top level)';
  return {
    severity: 'error',
    file,
    line: lineOf(zi.linePath),
    state: zi.path[0] === 'states' && zi.path.length > 1 ? String(zi.path[1]) : undefined,
    rule: 'schema',
    message: `${where}: ${zi.message}`,
    fix: 'correct the value to match flows/schema.json (an editor with YAML schema support shows the allowed fields)',
  };
}
