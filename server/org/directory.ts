// The units as one process holds them: the tree, lookups by id and code, and who sits under whom.
// Built from the units table (pure: no I/O), rebuilt whenever an admin changes a unit.
import type { UnitRow } from '../store/schema';
import { fromJson } from '../store/ids';
import type { UnitKind, UnitSpec, UnitsFile } from './units-file';

export interface Unit {
  id: string;
  code: string;
  kind: UnitKind;
  parentId: string | null;
  name: { zh: string; en: string };
  aliases: string[];
  isDefault: boolean;
  retired: boolean;
}

export const unitFromRow = (r: UnitRow): Unit => ({
  id: r.id,
  code: r.code,
  kind: r.kind,
  parentId: r.parent_id,
  name: { zh: r.name_zh, en: r.name_en },
  aliases: fromJson<string[]>(r.aliases, []),
  isDefault: r.is_default === 1,
  retired: r.retired_at !== null,
});

export class UnitDirectory {
  private readonly byIdMap = new Map<string, Unit>();
  private readonly byCodeMap = new Map<string, Unit>();
  private readonly childrenMap = new Map<string, Unit[]>();
  readonly root: Unit;
  readonly defaultUnit: Unit;

  constructor(readonly units: Unit[]) {
    for (const u of units) {
      this.byIdMap.set(u.id, u);
      this.byCodeMap.set(u.code, u);
    }
    for (const u of units) {
      if (!u.parentId) continue;
      const list = this.childrenMap.get(u.parentId) ?? [];
      list.push(u);
      this.childrenMap.set(u.parentId, list);
    }
    const roots = units.filter((u) => !u.parentId);
    if (roots.length !== 1) throw new Error(`the units table must hold exactly one root unit (the city), found ${roots.length}`);
    this.root = roots[0]!;
    this.defaultUnit = units.find((u) => u.isDefault && !u.retired) ?? this.root;
  }

  static fromRows(rows: UnitRow[]): UnitDirectory {
    return new UnitDirectory(rows.map(unitFromRow));
  }

  byId(id: string | null | undefined): Unit | undefined {
    return id ? this.byIdMap.get(id) : undefined;
  }

  /** Codes match case-insensitively. */
  byCode(code: string | null | undefined): Unit | undefined {
    return code ? this.byCodeMap.get(code.trim().toUpperCase()) : undefined;
  }

  children(id: string): Unit[] {
    return this.childrenMap.get(id) ?? [];
  }

  /** The unit and every unit above it, nearest first. */
  ancestry(id: string): Unit[] {
    const out: Unit[] = [];
    for (let u = this.byId(id); u; u = this.byId(u.parentId)) out.push(u);
    return out;
  }

  /** The unit and every unit under it. */
  subtree(id: string): Set<string> {
    const out = new Set<string>();
    const walk = (uid: string) => {
      out.add(uid);
      for (const c of this.children(uid)) walk(c.id);
    };
    if (this.byIdMap.has(id)) walk(id);
    return out;
  }

  /** Whether `inner` is `outer` or sits under it. */
  contains(outer: string, inner: string | null | undefined): boolean {
    if (!inner) return outer === this.root.id;
    return this.ancestry(inner).some((u) => u.id === outer);
  }

  /** The district a unit belongs to (itself for a district; none for the city). */
  districtOf(id: string): Unit | undefined {
    return this.ancestry(id).find((u) => u.kind === 'district');
  }

  /** Active stations, optionally only those under one unit. */
  stations(under?: string): Unit[] {
    const scope = under ? this.subtree(under) : undefined;
    return this.units.filter((u) => u.kind === 'station' && !u.retired && (!scope || scope.has(u.id)));
  }

  /** "市反诈中心 › 城东分局反诈中队 › 城东派出所" */
  pathLabel(id: string, locale: 'zh' | 'en' = 'zh'): string {
    return this.ancestry(id)
      .reverse()
      .map((u) => u.name[locale])
      .join(' › ');
  }
}

/** A directory straight from the file, with the codes as ids (checks and tests; the server reads the table). */
export function directoryFromFile(file: UnitsFile): UnitDirectory {
  const units: Unit[] = [];
  const walk = (s: UnitSpec, parentId: string | null) => {
    units.push({ id: s.code, code: s.code, kind: s.kind, parentId, name: s.name, aliases: s.aliases, isDefault: s.code === file.defaultCode, retired: false });
    for (const c of s.children) walk(c, s.code);
  };
  walk(file.root, null);
  return new UnitDirectory(units);
}
