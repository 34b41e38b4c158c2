// States and transitions of a flow as a graph the console draws. Built from the YAML itself, leniently,
// so the picture stays up while the manager is mid-edit and the checker reports errors.
import { parse as parseYaml } from 'yaml';
import type { CheckIssue, Inheritance, StateOrigin } from '../../flows/engine';
import type { ResolvedOverride } from '../../flows/engine/parse';

export interface GraphNode {
  id: string;
  /** Column (distance from the start state) and row within it, for the console's layout. */
  layer: number;
  row: number;
  kind: 'start' | 'state' | 'end' | 'handoff';
  errors: number;
  /** In a flow that extends a base: whether the state comes from the base as is, is changed here, or is new. */
  origin?: StateOrigin;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The triggers (intents or events) that take this edge, e.g. ["already_paid", "default"]. */
  on: string[];
  /** Flow-level transition, shared by every state. */
  shared: boolean;
}

export interface FlowGraph {
  start?: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Targets named by a transition that are not states. */
  missing: string[];
  /** For a flow that extends a base: what it takes from the base and what it sets itself (the editor shows it). */
  inheritance?: GraphInheritance;
}

export interface GraphInheritance {
  base: string;
  baseVersion: number;
  /** Top-level keys, phrases and script-wide triggers this flow sets itself. */
  flowKeys: string[];
  phrases: string[];
  sharedTriggers: string[];
  overridden: { state: string; keys: string[]; triggers: string[] }[];
  added: string[];
  removed: string[];
  inherited: number;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function targetsOf(spec: unknown): string[] {
  if (typeof spec === 'string') return [spec];
  if (Array.isArray(spec)) return spec.flatMap(targetsOf);
  if (isObj(spec) && typeof spec.target === 'string') return [spec.target];
  return [];
}

function actionTypes(list: unknown): string[] {
  return Array.isArray(list) ? list.filter(isObj).map((a) => String(a.type)) : [];
}

export function buildGraph(yamlText: string, issues: CheckIssue[] = []): FlowGraph {
  let raw: unknown;
  try {
    raw = parseYaml(yamlText);
  } catch {
    return { nodes: [], edges: [], missing: [] };
  }
  return graphOf(raw, issues);
}

/**
 * The graph of what conversations run: a flow that extends a base is drawn resolved (the base's states
 * with this flow's changes), each state marked with its origin, also while the checker finds errors in it.
 * While a draft cannot be resolved (bad YAML, unknown base), only its own text can be drawn.
 */
export function buildFlowGraph(yamlText: string, issues: CheckIssue[], resolved: ResolvedOverride | undefined): FlowGraph {
  if (!resolved) return buildGraph(yamlText, issues);
  const graph = graphOf(resolved.raw, issues, resolved.inheritance.states);
  return { ...graph, inheritance: summarise(resolved.inheritance) };
}

function summarise(i: Inheritance): GraphInheritance {
  const states = Object.entries(i.states);
  return {
    base: i.base,
    baseVersion: i.baseVersion,
    flowKeys: i.flowKeys,
    phrases: i.phrases,
    sharedTriggers: i.sharedTriggers,
    overridden: states.filter(([, o]) => o.origin === 'overridden').map(([state, o]) => ({ state, keys: o.keys, triggers: o.triggers })),
    added: states.filter(([, o]) => o.origin === 'added').map(([state]) => state),
    removed: i.removedStates,
    inherited: states.filter(([, o]) => o.origin === 'inherited').length,
  };
}

function graphOf(raw: unknown, issues: CheckIssue[], origins?: Inheritance['states']): FlowGraph {
  if (!isObj(raw) || !isObj(raw.states)) return { nodes: [], edges: [], missing: [] };
  const states = raw.states as Record<string, unknown>;
  const ids = Object.keys(states);
  const start = typeof raw.start === 'string' ? raw.start : ids[0];

  const edgeMap = new Map<string, GraphEdge>();
  const addEdge = (from: string, to: string, on: string, shared: boolean) => {
    const key = `${from}>${to}>${shared}`;
    const e = edgeMap.get(key) ?? { from, to, on: [], shared };
    if (!e.on.includes(on)) e.on.push(on);
    edgeMap.set(key, e);
  };
  const scan = (scope: Obj, from: string, shared: boolean) => {
    if (isObj(scope.on)) for (const [trigger, spec] of Object.entries(scope.on)) for (const t of targetsOf(spec)) addEdge(from, t, trigger, shared);
    for (const t of targetsOf(scope.default)) addEdge(from, t, 'default', shared);
  };
  for (const id of ids) if (isObj(states[id])) scan(states[id] as Obj, id, false);
  scan(raw, '*', true);

  // Layers by breadth-first distance from the start; shared transitions count from every state.
  const layer = new Map<string, number>();
  const edges = [...edgeMap.values()];
  if (start && ids.includes(start)) {
    layer.set(start, 0);
    const queue = [start];
    while (queue.length) {
      const at = queue.shift()!;
      const d = layer.get(at)!;
      for (const e of edges) {
        if (e.from !== at && !(e.shared && d === 0 && at === start)) continue;
        if (ids.includes(e.to) && !layer.has(e.to)) {
          layer.set(e.to, d + 1);
          queue.push(e.to);
        }
      }
    }
  }
  const deepest = Math.max(0, ...layer.values());
  const rows = new Map<number, number>();
  const errorsByState = new Map<string, number>();
  for (const i of issues) if (i.state && i.severity === 'error') errorsByState.set(i.state, (errorsByState.get(i.state) ?? 0) + 1);

  const nodes: GraphNode[] = ids.map((id) => {
    // Unreachable states go in a column of their own at the right, where they stand out.
    const l = layer.get(id) ?? deepest + 1;
    const row = rows.get(l) ?? 0;
    rows.set(l, row + 1);
    const s = isObj(states[id]) ? (states[id] as Obj) : {};
    const entry = actionTypes(s.entry);
    const kind: GraphNode['kind'] = id === start ? 'start' : entry.includes('end') ? 'end' : entry.includes('handoff') ? 'handoff' : 'state';
    const origin = origins && Object.hasOwn(origins, id) ? origins[id].origin : undefined;
    return { id, layer: l, row, kind, errors: errorsByState.get(id) ?? 0, ...(origin ? { origin } : {}) };
  });
  const missing = [...new Set(edges.map((e) => e.to).filter((t) => !ids.includes(t)))];
  return { start, nodes, edges, missing };
}
