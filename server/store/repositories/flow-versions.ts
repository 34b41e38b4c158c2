// Flow versions and which one is published. Published (and seeded) versions are never rewritten.
import type { Db } from './cases';
import type { FlowHeadRow, FlowVersionRow } from '../schema';
import { nowIso } from '../ids';

export type FlowVersionMeta = Omit<FlowVersionRow, 'yaml'>;

const META = ['id', 'flow_id', 'version', 'status', 'title', 'source', 'created_by', 'created_at', 'updated_at', 'published_by', 'published_at'] as const;

export async function countFlowVersions(db: Db): Promise<number> {
  const r = await db.selectFrom('flow_versions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export const listHeads = (db: Db): Promise<FlowHeadRow[]> => db.selectFrom('flow_heads').selectAll().orderBy('flow_id').execute();

export const getHead = (db: Db, flowId: string): Promise<FlowHeadRow | undefined> =>
  db.selectFrom('flow_heads').selectAll().where('flow_id', '=', flowId).executeTakeFirst();

export async function setHead(db: Db, flowId: string, version: number, actor: string): Promise<void> {
  const now = nowIso();
  const updated = await db.updateTable('flow_heads').set({ published_version: version, updated_by: actor, updated_at: now }).where('flow_id', '=', flowId).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) {
    await db.insertInto('flow_heads').values({ flow_id: flowId, published_version: version, updated_by: actor, updated_at: now }).execute();
  }
}

/** Every version's metadata (no YAML), newest first within a flow. */
export const listVersionMeta = (db: Db, flowId?: string): Promise<FlowVersionMeta[]> => {
  let q = db.selectFrom('flow_versions').select([...META]);
  if (flowId) q = q.where('flow_id', '=', flowId);
  return q.orderBy('flow_id').orderBy('version', 'desc').execute();
};

export const getVersion = (db: Db, flowId: string, version: number): Promise<FlowVersionRow | undefined> =>
  db.selectFrom('flow_versions').selectAll().where('flow_id', '=', flowId).where('version', '=', version).executeTakeFirst();

export const getDraft = (db: Db, flowId: string): Promise<FlowVersionRow | undefined> =>
  db.selectFrom('flow_versions').selectAll().where('flow_id', '=', flowId).where('status', '=', 'draft').executeTakeFirst();

/** Saved (non-draft) versions not yet in `known` ("flow@version" keys): what a process still has to compile. */
export async function savedVersionsExcept(db: Db, known: Set<string>): Promise<FlowVersionRow[]> {
  const keys = await db.selectFrom('flow_versions').select(['flow_id', 'version']).where('status', '=', 'saved').execute();
  const missing = keys.filter((k) => !known.has(`${k.flow_id}@${k.version}`));
  const out: FlowVersionRow[] = [];
  for (const k of missing) {
    const row = await getVersion(db, k.flow_id, k.version);
    if (row) out.push(row);
  }
  return out;
}

export async function maxVersion(db: Db, flowId: string): Promise<number> {
  const r = await db.selectFrom('flow_versions').select((eb) => eb.fn.max('version').as('v')).where('flow_id', '=', flowId).executeTakeFirst();
  return r?.v == null ? 0 : Number(r.v);
}

export async function insertVersion(
  db: Db,
  v: { flowId: string; version: number; status: 'draft' | 'saved'; title: string; yaml: string; source: 'seed' | 'console'; actor: string; published?: boolean },
): Promise<void> {
  const now = nowIso();
  await db
    .insertInto('flow_versions')
    .values({
      flow_id: v.flowId,
      version: v.version,
      status: v.status,
      title: v.title,
      yaml: v.yaml,
      source: v.source,
      created_by: v.actor,
      created_at: now,
      updated_at: now,
      published_by: v.published ? v.actor : null,
      published_at: v.published ? now : null,
    })
    .execute();
}

export async function updateDraft(db: Db, id: number, v: { title: string; yaml: string }): Promise<void> {
  await db.updateTable('flow_versions').set({ title: v.title, yaml: v.yaml, updated_at: nowIso() }).where('id', '=', id).where('status', '=', 'draft').execute();
}

export async function deleteDraft(db: Db, flowId: string): Promise<number> {
  const r = await db.deleteFrom('flow_versions').where('flow_id', '=', flowId).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The draft becomes a saved, published version; only succeeds if it is still the draft it was. */
export async function markPublished(db: Db, id: number, updatedAt: string, actor: string): Promise<boolean> {
  const r = await db
    .updateTable('flow_versions')
    .set({ status: 'saved', published_by: actor, published_at: nowIso() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .where('updated_at', '=', updatedAt)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
