// Flow versions as the managers' console sees them: drafts, checks, diffs, publish, roll back, export.
// Every change is in the audit log with who made it.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { FlowRegistry } from '../cases/flow-registry';
import { AppError, ConflictError, NotFoundError } from '../errors';
import { audit } from '../store/repositories/audit';
import { fromJson } from '../store/ids';
import * as repo from '../store/repositories/flow-versions';
import { checkDraft, runTestsFor, withVersionLine, type FlowTestRun } from './checking';
import type { CheckIssue } from '../../flows/engine';
import { diffLines, diffStats } from './diff';

export const FLOW_AUDIT_ACTIONS = ['flow_seeded', 'flow_draft_saved', 'flow_draft_discarded', 'flow_published', 'flow_rolled_back', 'flow_publish_refused'] as const;

/** A publish the checker or the flow's tests refused; details carry every reason. */
export class PublishRefusedError extends AppError {
  constructor(message: string, details: { issues: unknown[]; tests?: FlowTestRun }) {
    super(409, 'publish_refused', message, details);
  }
}

export interface FlowsAdminDeps {
  db: Kysely<Database>;
  registry: FlowRegistry;
  /** Where flows/tests/<id>.yaml live; default the repository's. */
  testsDir?: string;
}

export class FlowsAdmin {
  constructor(private readonly d: FlowsAdminDeps) {}

  async list() {
    const [heads, metas] = await Promise.all([repo.listHeads(this.d.db), repo.listVersionMeta(this.d.db)]);
    return heads.map((h) => {
      const mine = metas.filter((m) => m.flow_id === h.flow_id);
      const published = mine.find((m) => m.version === h.published_version);
      const draft = mine.find((m) => m.status === 'draft');
      return {
        id: h.flow_id,
        title: draft?.title ?? published?.title ?? h.flow_id,
        publishedVersion: h.published_version,
        publishedAt: published?.published_at ?? null,
        draftVersion: draft?.version ?? null,
        draftUpdatedAt: draft?.updated_at ?? null,
        draftUpdatedBy: draft?.created_by ?? null,
        versions: mine.length,
      };
    });
  }

  async get(flowId: string) {
    const head = await this.head(flowId);
    const metas = await repo.listVersionMeta(this.d.db, flowId);
    const draft = await repo.getDraft(this.d.db, flowId);
    const published = await repo.getVersion(this.d.db, flowId, head.published_version);
    return {
      id: flowId,
      title: draft?.title ?? published?.title ?? flowId,
      publishedVersion: head.published_version,
      draftVersion: draft?.version ?? null,
      yaml: draft?.yaml ?? published?.yaml ?? '',
      editing: draft ? ('draft' as const) : ('published' as const),
      versions: metas.map((m) => ({
        version: m.version,
        status: m.version === head.published_version ? 'published' : m.status === 'draft' ? 'draft' : 'earlier',
        title: m.title,
        source: m.source,
        createdBy: m.created_by,
        createdAt: m.created_at,
        updatedAt: m.updated_at,
        publishedBy: m.published_by,
        publishedAt: m.published_at,
      })),
    };
  }

  async versionYaml(flowId: string, version: number): Promise<string> {
    const row = await repo.getVersion(this.d.db, flowId, version);
    if (!row) throw new NotFoundError(`flow ${flowId} has no version ${version}`);
    return row.yaml;
  }

  async check(yamlText: string, flowId?: string) {
    const version = flowId ? await this.nextDraftVersion(flowId).catch(() => undefined) : undefined;
    const r = checkDraft(yamlText, { flowId, version, base: this.base });
    return { ok: !r.issues.some((i) => i.severity === 'error'), issues: r.issues, tests: r.flow ? runTestsFor(r.flow, this.d.testsDir) : undefined, resolved: r.resolved };
  }

  async saveDraft(flowId: string, yamlText: string, actor: string) {
    const head = await this.head(flowId);
    const existing = await repo.getDraft(this.d.db, flowId);
    const version = existing?.version ?? (await repo.maxVersion(this.d.db, flowId)) + 1;
    const yaml = withVersionLine(yamlText, version);
    const r = checkDraft(yaml, { flowId, version, base: this.base });
    // A draft that does not parse keeps the title it had, so the list still reads well.
    const title = r.flow?.title ?? existing?.title ?? (await repo.getVersion(this.d.db, flowId, head.published_version))?.title ?? flowId;
    if (existing) await repo.updateDraft(this.d.db, existing.id, { title, yaml });
    else await repo.insertVersion(this.d.db, { flowId, version, status: 'draft', title, yaml, source: 'console', actor });
    const errors = r.issues.filter((i) => i.severity === 'error').length;
    await audit(this.d.db, { actor, action: 'flow_draft_saved', detail: { flowId, version, errors } });
    return { version, yaml, issues: r.issues };
  }

  async discardDraft(flowId: string, actor: string) {
    await this.head(flowId);
    const draft = await repo.getDraft(this.d.db, flowId);
    if (!draft) throw new NotFoundError(`flow ${flowId} has no draft`);
    await repo.deleteDraft(this.d.db, flowId);
    await audit(this.d.db, { actor, action: 'flow_draft_discarded', detail: { flowId, version: draft.version } });
  }

  /** Line diff between two versions; by default the published version against the draft. */
  async diff(flowId: string, from?: number, to?: number) {
    const head = await this.head(flowId);
    const draft = await repo.getDraft(this.d.db, flowId);
    const a = from ?? head.published_version;
    const b = to ?? draft?.version ?? head.published_version;
    const lines = diffLines(await this.versionYaml(flowId, a), await this.versionYaml(flowId, b));
    return { flowId, from: a, to: b, ...diffStats(lines), lines };
  }

  /** Publishes the draft, unless the checker or the flow's tests find a problem. */
  async publish(flowId: string, actor: string) {
    const head = await this.head(flowId);
    const draft = await repo.getDraft(this.d.db, flowId);
    if (!draft) throw new ConflictError(`flow ${flowId} has no draft to publish: save a draft first`);
    const r = checkDraft(draft.yaml, { flowId, version: draft.version, base: this.base });
    const errors = r.issues.filter((i) => i.severity === 'error');
    const tests = r.flow ? runTestsFor(r.flow, this.d.testsDir) : undefined;
    const broken = r.flow ? this.dependentsBrokenBy(flowId, draft) : [];
    if (errors.length || !r.flow || (tests && tests.failures.length) || broken.length) {
      const reasons = [
        ...(errors.length ? [`the checker found ${errors.length} error(s)`] : []),
        ...(tests?.failures.length ? [`${tests.failures.length} test conversation(s) in ${tests.file} failed`] : []),
        ...broken.map((b) => `${b.flowId}, which extends it, would break (${b.reason})`),
      ];
      if (broken.length) r.issues.push(...broken.flatMap((b) => b.issues));
      await audit(this.d.db, { actor, action: 'flow_publish_refused', detail: { flowId, version: draft.version, reasons } });
      throw new PublishRefusedError(`${flowId} v${draft.version} was not published: ${reasons.join(' and ')}`, { issues: r.issues, tests });
    }
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await repo.markPublished(trx, draft.id, draft.updated_at, actor))) throw new ConflictError(`the draft of ${flowId} changed while it was being published: check it again`);
      await repo.setHead(trx, flowId, draft.version, actor);
      await audit(trx, { actor, action: 'flow_published', detail: { flowId, version: draft.version, previous: head.published_version, untested: tests?.untested.length ?? 0 } });
    });
    await this.changed();
    return { flowId, version: draft.version, previous: head.published_version, tests };
  }

  /** New conversations start on an earlier version again; conversations in progress keep theirs. */
  async rollback(flowId: string, version: number, actor: string) {
    const head = await this.head(flowId);
    const row = await repo.getVersion(this.d.db, flowId, version);
    if (!row) throw new NotFoundError(`flow ${flowId} has no version ${version}`);
    if (row.status === 'draft') throw new ConflictError(`v${version} of ${flowId} is the draft: publish it instead`);
    if (version === head.published_version) throw new ConflictError(`v${version} of ${flowId} is already published`);
    const r = checkDraft(row.yaml, { flowId, version, base: this.base });
    if (!r.flow) {
      throw new PublishRefusedError(`${flowId} v${version} cannot be published again: the checker found ${r.issues.filter((i) => i.severity === 'error').length} error(s)`, { issues: r.issues });
    }
    await this.d.db.transaction().execute(async (trx) => {
      await repo.setHead(trx, flowId, version, actor);
      await audit(trx, { actor, action: 'flow_rolled_back', detail: { flowId, version, previous: head.published_version } });
    });
    await this.changed();
    return { flowId, version, previous: head.published_version };
  }

  /** The YAML of a version (default: the published one), its version line set, ready for flows/<id>.yaml. */
  async exportYaml(flowId: string, version?: number): Promise<{ version: number; yaml: string }> {
    const head = await this.head(flowId);
    const v = version ?? head.published_version;
    return { version: v, yaml: withVersionLine(await this.versionYaml(flowId, v), v) };
  }

  async auditLog(flowId?: string, limit = 200) {
    const rows = await this.d.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', 'in', [...FLOW_AUDIT_ACTIONS])
      .orderBy('id', 'desc')
      .limit(flowId ? 2000 : limit)
      .execute();
    return rows
      .map((r) => ({ id: Number(r.id), actor: r.actor, action: r.action, at: r.created_at, detail: fromJson<Record<string, unknown>>(r.detail, {}) }))
      .filter((r) => !flowId || r.detail.flowId === flowId)
      .slice(0, limit);
  }

  /** Where a draft that extends another flow finds its base: the base's published version. */
  private readonly base = (id: string) => this.d.registry.source(id);

  /**
   * Publishing a base flow changes every flow that extends it: each published one is checked and tested
   * against the new base first, and the publish is refused if any would break.
   */
  private dependentsBrokenBy(flowId: string, draft: { version: number; yaml: string }): { flowId: string; reason: string; issues: CheckIssue[] }[] {
    const out: { flowId: string; reason: string; issues: CheckIssue[] }[] = [];
    const candidate = { id: flowId, version: draft.version, yaml: draft.yaml, file: `${flowId}@v${draft.version}` };
    for (const child of this.d.registry.extending(flowId)) {
      const src = this.d.registry.source(child)!;
      const r = checkDraft(src.yaml, { flowId: child, version: src.version, file: `${child}@v${src.version}`, base: (id) => (id === flowId ? candidate : this.base(id)) });
      const errors = r.issues.filter((i) => i.severity === 'error');
      const tests = r.flow ? runTestsFor(r.flow, this.d.testsDir) : undefined;
      if (errors.length) out.push({ flowId: child, reason: `${errors.length} error(s)`, issues: errors });
      else if (tests?.failures.length) out.push({ flowId: child, reason: `${tests.failures.length} test conversation(s) failed`, issues: [] });
    }
    return out;
  }

  private async head(flowId: string) {
    const head = await repo.getHead(this.d.db, flowId);
    if (!head) throw new NotFoundError(`no flow ${flowId}`);
    return head;
  }

  private async nextDraftVersion(flowId: string): Promise<number> {
    const draft = await repo.getDraft(this.d.db, flowId);
    return draft?.version ?? (await repo.maxVersion(this.d.db, flowId)) + 1;
  }

  private async changed(): Promise<void> {
    await this.d.registry.refresh(this.d.db);
    this.d.registry.onLocalChange?.();
  }
}
