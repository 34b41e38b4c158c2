// A flow definition normalised for the engine: every transition is a list with a stable id.
import type { Inheritance } from './extends';
import type { ActionRef, FlowDef, GuardRef, LocaleText, StateDef, Transition, TransitionSpec, Trigger } from './schema';

export interface CompiledTransition {
  /** Stable id, e.g. "greet.on.already_paid[0]", "*.on.request_human[0]", "ask_amount.default[0]". */
  id: string;
  /** State id, or '*' for the flow-level transitions every state shares. */
  scope: string;
  trigger: Trigger | 'default';
  target?: string;
  guard?: GuardRef;
  actions: ActionRef[];
  say?: LocaleText;
}

export interface CompiledState {
  id: string;
  def: StateDef;
  on: Partial<Record<Trigger, CompiledTransition[]>>;
  default?: CompiledTransition[];
  entry: ActionRef[];
  /** The state ends the conversation (an end action on entry). */
  final: boolean;
}

export interface CompiledFlow {
  id: string;
  version: number;
  title: string;
  /** The YAML text the flow was read from. */
  source: string;
  file: string;
  def: FlowDef;
  start: string;
  states: Record<string, CompiledState>;
  on: Partial<Record<Trigger, CompiledTransition[]>>;
  default?: CompiledTransition[];
  /** Every transition, flow-level ones once. */
  transitions: CompiledTransition[];
  /** For a flow that extends another: the base version it was resolved against (part of its identity). */
  base?: { id: string; version: number };
  /** For a flow that extends another: what it inherits and what it overrides. */
  inheritance?: Inheritance;
}

function normalise(spec: TransitionSpec | undefined, scope: string, trigger: Trigger | 'default'): CompiledTransition[] | undefined {
  if (spec === undefined) return undefined;
  const list: Transition[] = typeof spec === 'string' ? [{ target: spec }] : Array.isArray(spec) ? spec : [spec];
  const where = trigger === 'default' ? `${scope}.default` : `${scope}.on.${trigger}`;
  return list.map((t, i) => ({
    id: `${where}[${i}]`,
    scope,
    trigger,
    target: t.target,
    guard: t.guard,
    actions: t.actions ?? [],
    say: t.say,
  }));
}

function normaliseAll(on: FlowDef['on'], scope: string): Partial<Record<Trigger, CompiledTransition[]>> {
  const out: Partial<Record<Trigger, CompiledTransition[]>> = {};
  for (const [trigger, spec] of Object.entries(on ?? {}) as [Trigger, TransitionSpec][]) {
    out[trigger] = normalise(spec, scope, trigger);
  }
  return out;
}

export function compile(def: FlowDef, version: number, source: string, file: string, extended?: { base: { id: string; version: number }; inheritance: Inheritance }): CompiledFlow {
  const states: Record<string, CompiledState> = {};
  const transitions: CompiledTransition[] = [];
  const on = normaliseAll(def.on, '*');
  const dflt = normalise(def.default, '*', 'default');
  transitions.push(...Object.values(on).flat(), ...(dflt ?? []));
  for (const [id, s] of Object.entries(def.states)) {
    const entry = s.entry ?? [];
    const st: CompiledState = {
      id,
      def: s,
      on: normaliseAll(s.on, id),
      default: normalise(s.default, id, 'default'),
      entry,
      final: entry.some((a) => a.type === 'end'),
    };
    states[id] = st;
    transitions.push(...Object.values(st.on).flat(), ...(st.default ?? []));
  }
  return { id: def.id, version, title: def.title, source, file, def, start: def.start, states, on, default: dflt, transitions, ...(extended ?? {}) };
}

/** The transitions tried for a trigger in a state, in order: state, flow, then (for intents) state default, flow default. */
export function chainFor(flow: CompiledFlow, state: CompiledState, trigger: Trigger, isIntent: boolean): CompiledTransition[] {
  const chain = [...(state.on[trigger] ?? []), ...(flow.on[trigger] ?? [])];
  if (isIntent) chain.push(...(state.default ?? []), ...(flow.default ?? []));
  return chain;
}
