// Script inheritance: a flow that says `extends: <base flow>` lists only what differs from its base.
// The parser resolves it into one whole flow before anything else sees it, so checking, flow tests,
// versions, try-it and the editor all work on the resolved flow.
//
// How an override combines with its base:
// - top-level keys (title, description, locales, start, limits, default) replace the base's;
// - `phrases:` is merged phrase by phrase; `on:` (flow-level and per state) trigger by trigger;
// - `states:` is merged state by state: a new id adds a state; an existing id is merged key by key
//   (its `on:` trigger by trigger); every other key you give replaces the base's key whole;
// - `null` removes: `reprompt: null`, `on: { busy_later: null }`, or a whole state `old_state: null`.

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A flow's text as stored (a file in flows/ or a version in the database). */
export interface FlowSource {
  id: string;
  version: number;
  yaml: string;
  file: string;
}

/** Finds the version of a base flow an override is resolved against (the published one, or a pinned one). */
export type BaseLookup = (flowId: string) => FlowSource | undefined;

export type StateOrigin = 'inherited' | 'overridden' | 'added';

/** What a resolved flow takes from its base and what it sets itself; the editor shows it. */
export interface Inheritance {
  base: string;
  baseVersion: number;
  /** Top-level keys this flow sets itself (besides id and extends); for phrases, see `phrases`. */
  flowKeys: string[];
  /** Phrases this flow sets or removes. */
  phrases: string[];
  /** Flow-level triggers this flow sets or removes. */
  sharedTriggers: string[];
  states: Record<string, { origin: StateOrigin; keys: string[]; triggers: string[] }>;
  /** States of the base this flow removes. */
  removedStates: string[];
}

const MERGED_BY_TRIGGER = 'on';
/** Top-level maps merged entry by entry. */
const MERGED_BY_KEY = ['on', 'phrases'];

function mergeOn(base: unknown, over: unknown): Obj | undefined {
  if (over === null) return undefined;
  const out: Obj = isObj(base) ? { ...base } : {};
  if (!isObj(over)) return out;
  for (const [trigger, spec] of Object.entries(over)) {
    if (spec === null) delete out[trigger];
    else out[trigger] = spec;
  }
  return out;
}

function mergeState(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (key === MERGED_BY_TRIGGER) {
      const on = mergeOn(base.on, value);
      if (on) out.on = on;
      else delete out.on;
    } else if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

/**
 * The whole flow an override describes, and what it inherits. `base` and `override` are the parsed YAML of
 * the base flow and of the overriding flow (already known to be objects).
 */
export function resolveOverride(base: Obj, override: Obj, baseVersion: number): { flow: Obj; inheritance: Inheritance } {
  const flow: Obj = {};
  const baseId = String(override.extends);
  for (const [k, v] of Object.entries(base)) if (k !== 'extends') flow[k] = v;
  const flowKeys: string[] = [];
  for (const [key, value] of Object.entries(override)) {
    if (key === 'extends' || key === 'states') continue;
    if (key !== 'id' && key !== '$schema' && key !== 'version' && key !== MERGED_BY_TRIGGER) flowKeys.push(key);
    if (MERGED_BY_KEY.includes(key)) {
      const merged = mergeOn(base[key], value);
      if (merged) flow[key] = merged;
      else delete flow[key];
      continue;
    }
    if (value === null) delete flow[key];
    else flow[key] = value;
  }
  const baseStates = isObj(base.states) ? base.states : {};
  const overStates = isObj(override.states) ? override.states : {};
  const states: Obj = { ...baseStates };
  const origins: Inheritance['states'] = {};
  const removedStates: string[] = [];
  for (const id of Object.keys(baseStates)) origins[id] = { origin: 'inherited', keys: [], triggers: [] };
  for (const [id, s] of Object.entries(overStates)) {
    if (s === null) {
      delete states[id];
      delete origins[id];
      if (id in baseStates) removedStates.push(id);
      continue;
    }
    const from = baseStates[id];
    if (isObj(from) && isObj(s)) {
      states[id] = mergeState(from, s);
      origins[id] = {
        origin: 'overridden',
        keys: Object.keys(s).filter((k) => k !== MERGED_BY_TRIGGER),
        triggers: isObj(s.on) ? Object.keys(s.on) : [],
      };
    } else {
      states[id] = s;
      origins[id] = { origin: 'added', keys: isObj(s) ? Object.keys(s) : [], triggers: [] };
    }
  }
  flow.states = states;
  const sharedTriggers = isObj(override.on) ? Object.keys(override.on) : override.on === null ? ['*'] : [];
  const phrases = isObj(override.phrases) ? Object.keys(override.phrases) : [];
  return { flow, inheritance: { base: baseId, baseVersion, flowKeys, phrases, sharedTriggers, states: origins, removedStates } };
}
