// What an admin may change about the units: add one under a parent, rename it, give it other names,
// move it, retire it, make it the default. The tree's rules hold after every change.
import { z } from 'zod';
import type { Services } from '../services';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { getUnitByCode, insertUnit, setDefaultUnit, updateUnit } from '../store/repositories/units';
import { audit } from '../store/repositories/audit';
import { nowIso, toJson } from '../store/ids';
import { isUniqueViolation } from '../cases/intake';
import { CHILD_KIND, UNIT_KINDS, unitAliases, unitCode, unitNames } from './units-file';
import type { Unit, UnitDirectory } from './directory';

export const newUnitSchema = z
  .object({
    code: unitCode,
    kind: z.enum(UNIT_KINDS),
    parentCode: unitCode,
    name: unitNames,
    aliases: unitAliases.default([]),
  })
  .strict();
export type NewUnitInput = z.infer<typeof newUnitSchema>;

export const unitPatchSchema = z
  .object({
    name: unitNames.optional(),
    aliases: unitAliases.optional(),
    parentCode: unitCode.optional(),
    retired: z.boolean().optional(),
    default: z.literal(true, 'only true: make another unit the default to change it').optional(),
  })
  .strict()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change: give name, aliases, parentCode, retired or default');
export type UnitPatch = z.infer<typeof unitPatchSchema>;

export function presentUnit(dir: UnitDirectory, u: Unit) {
  return {
    code: u.code,
    kind: u.kind,
    parentCode: dir.byId(u.parentId)?.code ?? null,
    name: u.name,
    aliases: u.aliases,
    default: u.id === dir.defaultUnit.id,
    retired: u.retired,
    path: dir.pathLabel(u.id),
  };
}

function parentFor(dir: UnitDirectory, kind: Unit['kind'], parentCode: string): Unit {
  const parent = dir.byCode(parentCode);
  if (!parent) throw new ValidationError(`parentCode: no unit ${parentCode}`);
  if (parent.retired) throw new ConflictError(`unit ${parent.code} is retired: units cannot be added under it`);
  const expected = CHILD_KIND[parent.kind];
  if (expected !== kind) throw new ValidationError(expected ? `kind: units under a ${parent.kind} are kind ${expected}, not ${kind}` : `parentCode: ${parent.code} is a station; a station has no units under it`);
  return parent;
}

export async function addUnit(s: Services, actor: string, input: NewUnitInput): Promise<Unit> {
  const dir = s.org.units;
  if (input.kind === 'city') throw new ValidationError('kind: there is one city, the root unit; add districts and stations under it');
  const parent = parentFor(dir, input.kind, input.parentCode);
  try {
    await insertUnit(s.store.db, {
      code: input.code,
      kind: input.kind,
      parent_id: parent.id,
      name_zh: input.name.zh,
      name_en: input.name.en,
      aliases: toJson(input.aliases),
      is_default: 0,
      source: 'admin',
      retired_at: null,
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new ConflictError(`a unit with code ${input.code} already exists`);
    throw err;
  }
  await audit(s.store.db, { actor, action: 'unit_added', detail: { code: input.code, kind: input.kind, parent: parent.code } });
  await s.org.changed(s.store.db);
  return s.org.units.byCode(input.code)!;
}

export async function changeUnit(s: Services, actor: string, code: string, patch: UnitPatch): Promise<Unit> {
  const dir = s.org.units;
  const unit = dir.byCode(code);
  if (!unit) throw new NotFoundError(`no unit ${code}`);
  const row = (await getUnitByCode(s.store.db, unit.code))!;
  const set: Parameters<typeof updateUnit>[2] = { source: 'admin' };
  if (patch.name) Object.assign(set, { name_zh: patch.name.zh, name_en: patch.name.en });
  if (patch.aliases) set.aliases = toJson(patch.aliases);
  if (patch.parentCode !== undefined) {
    if (!unit.parentId) throw new ValidationError('parentCode: the city is the root; it has no parent');
    set.parent_id = parentFor(dir, unit.kind, patch.parentCode).id;
  }
  if (patch.retired !== undefined) {
    if (patch.retired) {
      if (!unit.parentId) throw new ConflictError('the city cannot be retired: it is where every unrouted warning goes');
      const active = dir.children(unit.id).filter((c) => !c.retired);
      if (active.length) throw new ConflictError(`unit ${unit.code} still has active units under it (${active.map((c) => c.code).join(', ')}): retire or move them first`);
      if (unit.id === dir.defaultUnit.id) throw new ConflictError(`unit ${unit.code} is the default unit: make another unit the default first`);
      set.retired_at = row.retired_at ?? nowIso();
    } else {
      if (dir.byId(unit.parentId)?.retired) throw new ConflictError(`its parent ${dir.byId(unit.parentId)!.code} is retired: bring that back first`);
      set.retired_at = null;
    }
  }
  await s.store.db.transaction().execute(async (trx) => {
    await updateUnit(trx, unit.id, set);
    if (patch.default) {
      if (unit.retired && patch.retired !== false) throw new ConflictError(`unit ${unit.code} is retired: it cannot be the default`);
      await setDefaultUnit(trx, unit.id);
    }
    await audit(trx, { actor, action: 'unit_changed', detail: { code: unit.code, ...patch } });
  });
  await s.org.changed(s.store.db);
  return s.org.units.byCode(unit.code)!;
}
