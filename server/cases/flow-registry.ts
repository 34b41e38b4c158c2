// Every version of every flow the server may need: conversations stay pinned to the version they began on.
// The database holds the versions (the managers' console edits them); flows/*.yaml seeds flows it lacks.
import type { Kysely } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { catalogue, loadFlowsDir, parseFlow, type CompiledFlow, type FlowSource } from '../../flows/engine';
import type { Database } from '../store/schema';
import { getHead, insertVersion, listHeads, savedVersionsExcept, setHead } from '../store/repositories/flow-versions';
import { audit } from '../store/repositories/audit';

export interface RegistryLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class FlowRegistry {
  /** The text of every saved version; flows are compiled from it on first use. */
  private readonly sources = new Map<string, Map<number, FlowSource & { extends?: string }>>();
  /** Compiled flows by identity: "id@v", or "id@v+base@bv" for a flow resolved against a base version. */
  private readonly compiled = new Map<string, CompiledFlow>();
  private readonly broken = new Set<string>();
  private readonly published = new Map<string, number>();
  private refreshing?: Promise<void>;
  /** Called after this process published or rolled back, so other processes refresh at once. */
  onLocalChange?: () => void;
  log?: RegistryLog;

  add(flow: CompiledFlow, publish = true): void {
    this.addSource({ id: flow.id, version: flow.version, yaml: flow.source, file: flow.file });
    this.compiled.set(identity(flow.id, flow.version, flow.base), flow);
    if (publish) this.published.set(flow.id, flow.version);
  }

  private addSource(src: FlowSource): void {
    let byVersion = this.sources.get(src.id);
    if (!byVersion) this.sources.set(src.id, (byVersion = new Map()));
    if (!byVersion.has(src.version)) byVersion.set(src.version, { ...src, extends: extendsOf(src.yaml) });
  }

  /** The version new conversations start on (resolved against its base's published version). */
  current(flowId: string): CompiledFlow | undefined {
    const v = this.published.get(flowId);
    return v === undefined ? undefined : this.version(flowId, v);
  }

  /**
   * One version of a flow. A flow that extends another is resolved against `baseVersion` (the version a
   * conversation was pinned to), or by default against the base's published version.
   */
  version(flowId: string, version: number, baseVersion?: number): CompiledFlow | undefined {
    const src = this.sources.get(flowId)?.get(version);
    if (!src) return undefined;
    const baseId = src.extends;
    const bv = baseId ? (baseVersion ?? this.published.get(baseId)) : undefined;
    const base = baseId && bv !== undefined ? this.sources.get(baseId)?.get(bv) : undefined;
    if (baseId && !base) return undefined;
    const key = identity(flowId, version, base ? { id: base.id, version: base.version } : undefined);
    const known = this.compiled.get(key);
    if (known || this.broken.has(key)) return known;
    const { flow, issues } = parseFlow(src.yaml, { file: `${flowId}@v${version}`, version, base: (id) => (id === baseId ? base : undefined) });
    if (flow) this.compiled.set(key, flow);
    else {
      this.broken.add(key);
      this.log?.error({ flowId, version, base: base ? `${base.id}@v${base.version}` : undefined, issues: issues.filter((i) => i.severity === 'error').slice(0, 5) }, 'stored flow version no longer loads');
    }
    return flow;
  }

  /** The stored text of a version (default: the published one); the console checks drafts that extend it. */
  source(flowId: string, version?: number): FlowSource | undefined {
    const v = version ?? this.published.get(flowId);
    return v === undefined ? undefined : this.sources.get(flowId)?.get(v);
  }

  /** Published flows whose published version extends this one. */
  extending(baseId: string): string[] {
    return this.ids().filter((id) => this.source(id) && extendsOf(this.source(id)!.yaml) === baseId);
  }

  ids(): string[] {
    return [...this.published.keys()].sort();
  }

  publishedVersion(flowId: string): number | undefined {
    return this.published.get(flowId);
  }

  /** Loads the YAML flows shipped in flows/ as their first published versions; refuses to start on errors. */
  static fromDirectory(dir?: string): FlowRegistry {
    const registry = new FlowRegistry();
    for (const flow of loadShipped(dir).values()) registry.add(flow);
    return registry;
  }

  /**
   * The database's versions, after seeding every shipped flow the database does not have yet.
   * Refuses to start if a shipped flow has errors.
   */
  static async fromStore(db: Kysely<Database>, opts: { dir?: string; log?: RegistryLog } = {}): Promise<FlowRegistry> {
    const shipped = loadShipped(opts.dir);
    for (const flow of shipped.values()) {
      if (await getHead(db, flow.id)) continue;
      try {
        await db.transaction().execute(async (trx) => {
          await insertVersion(trx, { flowId: flow.id, version: flow.version, status: 'saved', title: flow.title, yaml: flow.source, source: 'seed', actor: 'system', published: true });
          await setHead(trx, flow.id, flow.version, 'system');
          await audit(trx, { actor: 'system', action: 'flow_seeded', detail: { flowId: flow.id, version: flow.version, file: flow.file } });
        });
        opts.log?.info({ flowId: flow.id, version: flow.version }, 'flow seeded from flows/');
      } catch (err) {
        // Another process seeded it at the same moment (unique flow_id, version): theirs stands.
        if (!(await getHead(db, flow.id))) throw err;
      }
    }
    const registry = new FlowRegistry();
    registry.log = opts.log;
    await registry.refresh(db, opts.log);
    return registry;
  }

  /** Compiles versions this process has not seen and takes the published pointers from the database. */
  refresh(db: Kysely<Database>, log?: RegistryLog): Promise<void> {
    // One refresh at a time; a caller arriving meanwhile waits for the running one.
    this.refreshing ??= (async () => {
      try {
        if (log) this.log ??= log;
        const known = new Set<string>();
        for (const [id, byVersion] of this.sources) for (const v of byVersion.keys()) known.add(`${id}@${v}`);
        for (const row of await savedVersionsExcept(db, known)) this.addSource({ id: row.flow_id, version: row.version, yaml: row.yaml, file: `${row.flow_id}@v${row.version}` });
        for (const head of await listHeads(db)) {
          if (!this.sources.get(head.flow_id)?.has(head.published_version)) continue;
          if (this.published.get(head.flow_id) !== head.published_version) log?.info({ flowId: head.flow_id, version: head.published_version }, 'flow version now published');
          this.published.set(head.flow_id, head.published_version);
        }
        // Compile what new conversations will use now, so a version that no longer loads is logged at once.
        for (const id of this.ids()) this.current(id);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  /**
   * Keeps this process in step with publications made elsewhere: a refresh every `everyMs` (a backstop)
   * and whenever `trigger` is called (a Redis message from the publishing process).
   */
  keepFresh(db: Kysely<Database>, everyMs: number, log?: RegistryLog): { trigger(): void; stop(): void } {
    const run = () => void this.refresh(db, log).catch((err) => log?.error({ err: (err as Error).message }, 'flow refresh failed'));
    const timer = setInterval(run, everyMs);
    timer.unref();
    return { trigger: run, stop: () => clearInterval(timer) };
  }
}

function loadShipped(dir?: string): Map<string, CompiledFlow> {
  // The system texts are part of what is shipped: refuse to start without a valid catalogue.
  catalogue();
  const { flows, issues } = loadFlowsDir(dir);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    throw new Error(`flows have ${errors.length} error(s):\n${errors.map((i) => `  ${i.file}${i.state ? ` [${i.state}]` : ''}: ${i.message} (${i.fix})`).join('\n')}`);
  }
  return flows;
}

const identity = (id: string, version: number, base?: { id: string; version: number }) => `${id}@${version}${base ? `+${base.id}@${base.version}` : ''}`;

/** The base a flow's text extends, if any (read leniently: a text that does not parse extends nothing). */
export function extendsOf(yamlText: string): string | undefined {
  try {
    const raw = parseYaml(yamlText) as { extends?: unknown } | null;
    return raw && typeof raw.extends === 'string' ? raw.extends : undefined;
  } catch {
    return undefined;
  }
}
