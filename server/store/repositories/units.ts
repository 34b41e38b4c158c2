// The units table: the organisation the file seeds and admins edit.
import type { Db } from './cases';
import type { UnitRow } from '../schema';
import { newId, nowIso, toJson } from '../ids';
import { flattenUnits, type UnitsFile } from '../../org/units-file';

export const listUnits = (db: Db): Promise<UnitRow[]> => db.selectFrom('units').selectAll().orderBy('code').execute();

export const getUnitByCode = (db: Db, code: string): Promise<UnitRow | undefined> =>
  db.selectFrom('units').selectAll().where('code', '=', code.toUpperCase()).executeTakeFirst();

export async function insertUnit(db: Db, u: Omit<UnitRow, 'id' | 'created_at' | 'updated_at'>): Promise<UnitRow> {
  const now = nowIso();
  const row: UnitRow = { id: newId(), created_at: now, updated_at: now, ...u };
  await db.insertInto('units').values(row).execute();
  return row;
}

export async function updateUnit(db: Db, id: string, patch: Partial<Pick<UnitRow, 'name_zh' | 'name_en' | 'aliases' | 'parent_id' | 'retired_at' | 'is_default' | 'source'>>): Promise<void> {
  await db.updateTable('units').set({ ...patch, updated_at: nowIso() }).where('id', '=', id).execute();
}

/** Makes `id` the one default unit (the partial unique index allows one). */
export async function setDefaultUnit(db: Db, id: string): Promise<void> {
  await db.updateTable('units').set({ is_default: 0, updated_at: nowIso() }).where('is_default', '=', 1).where('id', '<>', id).execute();
  await db.updateTable('units').set({ is_default: 1, updated_at: nowIso() }).where('id', '=', id).execute();
}

/**
 * Adds the file's units the table does not have yet (by code), parents first. Units already there are
 * left as they are: an admin's edits win over the file, and a retired unit stays retired. The file's
 * default applies only when the table had no default.
 */
export async function seedUnitsFromFile(db: Db, file: UnitsFile): Promise<{ added: string[] }> {
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await listUnits(trx)).map((u) => [u.code, u]));
    const added: string[] = [];
    for (const { spec, parentCode } of flattenUnits(file.root)) {
      if (existing.has(spec.code)) continue;
      const parent = parentCode ? existing.get(parentCode) : undefined;
      // A unit whose parent an admin moved or retired still goes under that parent's code.
      if (parentCode && !parent) continue;
      const row = await insertUnit(trx, {
        code: spec.code,
        kind: spec.kind,
        parent_id: parent?.id ?? null,
        name_zh: spec.name.zh,
        name_en: spec.name.en,
        aliases: toJson(spec.aliases),
        is_default: 0,
        source: 'file',
        retired_at: null,
      });
      existing.set(row.code, row);
      added.push(row.code);
    }
    const hasDefault = [...existing.values()].some((u) => u.is_default === 1);
    const fileDefault = existing.get(file.defaultCode);
    if (!hasDefault && fileDefault) await setDefaultUnit(trx, fileDefault.id);
    return { added };
  });
}
