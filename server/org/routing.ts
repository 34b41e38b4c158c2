// Which unit's queue a warning's case goes to (pure). In order: the district or station code the warning
// carries; else the station (then the district) its address or precinct names; else the default unit.
// A code nobody knows goes to the city with routing 'unrouted', so the city desk sees it and moves it.
import type { Unit, UnitDirectory } from './directory';

export type Routing = 'code' | 'address' | 'default' | 'unrouted';

export interface RoutingHints {
  unitCode?: string | null;
  address?: string | null;
  /** The upstream's free-text precinct ("城东派出所"), read like an address. */
  precinct?: string | null;
}

export interface Routed {
  unit: Unit;
  routing: Routing;
  /** What routing went by: the code given, or the name found in the address. */
  hint: string | null;
}

/** Full-width letters, digits and spaces folded to ASCII, spaces dropped, Latin letters lower-cased. */
export function normaliseForMatch(text: string): string {
  return text
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .toLowerCase();
}

/** The unit of `kind` whose name or alias is the longest one found in the text; none when two tie. */
function namedIn(text: string, candidates: Unit[]): { unit: Unit; name: string } | undefined {
  let best: { unit: Unit; name: string; length: number } | undefined;
  let tie = false;
  for (const u of candidates) {
    for (const n of [u.name.zh, u.name.en, ...u.aliases]) {
      const key = normaliseForMatch(n);
      if (key.length < 2 || !text.includes(key)) continue;
      if (!best || key.length > best.length) {
        best = { unit: u, name: n, length: key.length };
        tie = false;
      } else if (key.length === best.length && best.unit.id !== u.id) {
        tie = true;
      }
    }
  }
  return best && !tie ? { unit: best.unit, name: best.name } : undefined;
}

export function routeWarning(dir: UnitDirectory, hints: RoutingHints): Routed {
  const code = hints.unitCode?.trim();
  if (code) {
    const unit = dir.byCode(code);
    if (unit && !unit.retired) return { unit, routing: 'code', hint: unit.code };
    return { unit: dir.root, routing: 'unrouted', hint: code.slice(0, 64) };
  }
  const text = normaliseForMatch([hints.address, hints.precinct].filter(Boolean).join(' '));
  if (text) {
    const active = dir.units.filter((u) => !u.retired);
    const found = namedIn(text, active.filter((u) => u.kind === 'station')) ?? namedIn(text, active.filter((u) => u.kind === 'district'));
    if (found) return { unit: found.unit, routing: 'address', hint: found.name };
  }
  return { unit: dir.defaultUnit, routing: 'default', hint: null };
}
