// Structural rules: targets exist, every state is reachable, every path ends, every intent is handled,
// at-risk replies reach a human, loops are bounded.
import { AT_RISK_INTENTS, INTENTS } from '../../nlu-models/src/intents';
import { chainFor, type CompiledFlow, type CompiledState, type CompiledTransition } from './compiled';
import type { LineOf } from './parse';
import type { Trigger } from './schema';
import { didYouMean } from './suggest';
import type { CheckIssue } from './types';

type Emit = (i: Omit<CheckIssue, 'file' | 'severity'> & { severity?: CheckIssue['severity']; path?: (string | number)[] }) => void;

const isIntent = (t: string) => (INTENTS as readonly string[]).includes(t);
const transitionPath = (t: CompiledTransition): (string | number)[] => {
  const base: (string | number)[] = t.scope === '*' ? [] : ['states', t.scope];
  return t.trigger === 'default' ? [...base, 'default'] : [...base, 'on', t.trigger];
};
const where = (t: CompiledTransition) => (t.scope === '*' ? `flow-level ${t.id.slice(2)}` : t.id);

/** Transitions that apply in a state: its own and the flow-level ones (not in final states). */
export function effective(flow: CompiledFlow, s: CompiledState): CompiledTransition[] {
  if (s.final) return [];
  const own = [...Object.values(s.on).flat(), ...(s.default ?? [])];
  const shared = [...Object.values(flow.on).flat(), ...(flow.default ?? [])];
  return [...own, ...shared];
}

/** Where a transition goes: its target, or the same state when it asks again (not for unanswered calls). */
function destination(s: CompiledState, t: CompiledTransition): string | undefined {
  if (t.target) return t.target;
  if (t.trigger === 'unanswered' || t.actions.some((a) => a.type === 'end')) return undefined;
  return s.id;
}

const handsOffOrEnds = (actions: { type: string }[]) => actions.some((a) => a.type === 'handoff' || a.type === 'end');
const reachesHuman = (flow: CompiledFlow, t: CompiledTransition) =>
  t.actions.some((a) => a.type === 'handoff') || (t.target !== undefined && flow.states[t.target]?.entry.some((a) => a.type === 'handoff'));
const terminates = (flow: CompiledFlow, t: CompiledTransition) =>
  handsOffOrEnds(t.actions) || (t.target !== undefined && handsOffOrEnds(flow.states[t.target]?.entry ?? []));

export function checkGraph(flow: CompiledFlow, emit: Emit): void {
  const ids = Object.keys(flow.states);
  if (!flow.states[flow.start]) {
    emit({ rule: 'unknown_target', path: ['start'], message: `start state '${flow.start}' does not exist`, fix: `use one of: ${ids.join(', ')}${didYouMean(flow.start, ids)}` });
    return;
  }
  let broken = false;
  for (const t of flow.transitions) {
    if (t.target && !flow.states[t.target]) {
      broken = true;
      emit({
        rule: 'unknown_target',
        state: t.scope === '*' ? undefined : t.scope,
        path: transitionPath(t),
        message: `${where(t)} goes to state '${t.target}', which does not exist`,
        fix: `use one of: ${ids.join(', ')}${didYouMean(t.target, ids)}`,
      });
    }
  }
  if (broken) return;

  const edges = new Map<string, string[]>();
  for (const s of Object.values(flow.states)) {
    edges.set(s.id, [...new Set(effective(flow, s).map((t) => destination(s, t)).filter((x): x is string => Boolean(x)))]);
  }

  // Reachability from start.
  const seen = new Set([flow.start]);
  const queue = [flow.start];
  while (queue.length) for (const n of edges.get(queue.shift()!) ?? []) if (!seen.has(n)) seen.add(n), queue.push(n);
  for (const id of ids) {
    if (!seen.has(id)) {
      emit({ rule: 'unreachable_state', state: id, path: ['states', id], message: `state '${id}' cannot be reached from the start state '${flow.start}'`, fix: `add a transition with target: ${id}, or delete the state` });
    }
  }

  // Every state must have a path to an end or a handoff.
  const ends = new Set(
    ids.filter((id) => {
      const s = flow.states[id];
      return handsOffOrEnds(s.entry) || effective(flow, s).some((t) => terminates(flow, t));
    }),
  );
  let grew = true;
  while (grew) {
    grew = false;
    for (const id of ids) if (!ends.has(id) && (edges.get(id) ?? []).some((n) => ends.has(n))) ends.add(id), (grew = true);
  }
  for (const id of ids) {
    if (!ends.has(id)) {
      emit({
        rule: 'no_path_to_end',
        state: id,
        path: ['states', id],
        message: `no path from state '${id}' reaches an end or a handoff: a conversation here could never finish`,
        fix: 'add a transition that hands off or ends (e.g. flow-level on: { request_human: { target: <a state whose entry hands off> } })',
      });
    }
  }

  const reported = new Set<string>();
  for (const s of Object.values(flow.states)) {
    if (s.final) continue;
    checkIntents(flow, s, emit, reported);
    // A question that is skipped when answered, or answered by its slot, goes on by its default.
    if (s.def.asks && !(s.default ?? []).some((t) => !t.guard && t.target)) {
      emit({
        rule: 'asks_without_default',
        state: s.id,
        path: ['states', s.id, 'asks'],
        message: `state '${s.id}' asks for '${s.def.asks}' but has no default: transition with a target to go on to once it is known`,
        fix: `add default: { target: <the next question> } to state '${s.id}'`,
      });
    }
  }
  checkLoops(flow, edges, emit);
}

function checkIntents(flow: CompiledFlow, s: CompiledState, emit: Emit, reported: Set<string>) {
  for (const intent of INTENTS) {
    const chain = chainFor(flow, s, intent, true);
    if (chain.length === 0) {
      emit({
        rule: 'intent_unhandled',
        state: s.id,
        path: ['states', s.id],
        message: `state '${s.id}' has no transition for intent '${intent}' and no default`,
        fix: `add on: { ${intent}: … } to the state or to the flow-level on:, or a default:`,
      });
      continue;
    }
    if (chain.every((t) => t.guard)) {
      emit({
        rule: 'intent_unhandled',
        state: s.id,
        path: ['states', s.id],
        message: `in state '${s.id}' every transition for intent '${intent}' has a guard: when none holds the reply is not handled`,
        fix: `add a last transition without a guard for '${intent}' (or a default:)`,
      });
    }
    if ((AT_RISK_INTENTS as readonly string[]).includes(intent)) {
      // Only the transitions up to the first unguarded one can ever be taken.
      const firstUnguarded = chain.findIndex((t) => !t.guard);
      for (const t of firstUnguarded < 0 ? chain : chain.slice(0, firstUnguarded + 1)) {
        if (reachesHuman(flow, t)) continue;
        // A shared (flow-level) transition is reported once, not once per state.
        if (reported.has(t.id)) break;
        reported.add(t.id);
        emit({
          rule: 'at_risk_without_handoff',
          state: s.id,
          path: transitionPath(t),
          message: `in state '${s.id}', a '${intent}' reply takes ${where(t)}, which does not hand off: a person ${intent === 'mid_scam' ? 'still in a scam' : 'who has already paid'} would be left without a human`,
          fix: `add { type: handoff, reason: ${intent} } to its actions, or target a state whose entry hands off`,
        });
        break;
      }
    }
  }
}

function checkLoops(flow: CompiledFlow, edges: Map<string, string[]>, emit: Emit) {
  // Tarjan's strongly connected components: a component with a cycle can repeat forever unless turns are bounded.
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index), low.set(v, index++), stack.push(v), on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) visit(w), low.set(v, Math.min(low.get(v)!, low.get(w)!));
      else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do (w = stack.pop()!), on.delete(w), comp.push(w);
      while (w !== v);
      if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(comp.reverse());
    }
  };
  for (const id of Object.keys(flow.states)) if (!idx.has(id)) visit(id);

  const maxTurns = flow.def.limits?.maxTurns;
  for (const comp of cycles) {
    const loop = `${comp.join(' → ')} → ${comp[0]}`;
    if (maxTurns === undefined) {
      emit({
        rule: 'unbounded_loop',
        state: comp[0],
        path: ['states', comp[0]],
        message: `states ${loop} can repeat forever: the flow has no limits.maxTurns`,
        fix: 'set limits: { maxTurns: 12 } and add a flow-level on: { turn_limit: … } that hands off or ends',
      });
      continue;
    }
    for (const id of comp) {
      const chain = chainFor(flow, flow.states[id], 'turn_limit' as Trigger, false);
      const ok = chain.some((t) => !t.guard && terminates(flow, t));
      if (!ok) {
        emit({
          rule: 'unbounded_loop',
          state: id,
          path: ['states', id],
          message: `states ${loop} can repeat until limits.maxTurns (${maxTurns}), but state '${id}' has no unguarded turn_limit transition that hands off or ends`,
          fix: 'add a flow-level on: { turn_limit: { target: <a state whose entry hands off or ends> } }',
        });
        break;
      }
    }
  }
}
