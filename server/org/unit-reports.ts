// Reports per unit: each unit the viewer sees, with its own cases and those of the units under it (a
// district's figures include its stations'). Time to first contact, time to a human, visits reported by
// their deadline, stop-payments — the same figures as the managers' reports (server/store/repositories/reports.ts).
import type { Services } from '../services';
import type { Viewer } from '../people/visibility';
import { loadCaseFacts, summarise, type ReportRange, type ReportRow } from '../store/repositories/reports';
import { homeUnitId } from './people';

export interface UnitReport {
  unit: { code: string; kind: string; name: { zh: string; en: string }; parentCode: string | null; depth: number };
  row: ReportRow;
}

export async function unitReports(s: Services, v: Viewer, range: ReportRange, asOf = Date.now()): Promise<UnitReport[]> {
  const dir = s.org.units;
  const home = homeUnitId(dir, v);
  const facts = await loadCaseFacts(s.store.db, { ...range, stopPaymentWindowMinutes: s.org.firstLevelWindowMinutes });
  const codeToId = new Map(dir.units.map((u) => [u.code, u.id]));
  const out: UnitReport[] = [];
  const walk = (id: string, depth: number) => {
    const u = dir.byId(id)!;
    const scope = dir.subtree(id);
    // A case stored before units existed belongs to the city.
    const mine = facts.filter((f) => scope.has(f.unit ? codeToId.get(f.unit) ?? dir.root.id : dir.root.id));
    out.push({ unit: { code: u.code, kind: u.kind, name: u.name, parentCode: dir.byId(u.parentId)?.code ?? null, depth }, row: summarise(u.code, mine, asOf) });
    for (const c of dir.children(id)) if (!c.retired || mine.length) walk(c.id, depth + 1);
  };
  walk(home, 0);
  return out;
}
