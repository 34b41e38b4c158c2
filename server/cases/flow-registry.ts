// Every version of every flow the server may need: conversations stay pinned to the version they began on.
// The database holds the versions (the managers' console edits them); flows/*.yaml seeds flows it lacks.
import type { Kysely } from 'kysely';
import { loadFlowsDir, parseFlow, type CompiledFlow } from '../../flows/engine';
import type { Database } from '../store/schema';
import { getHead, insertVersion, listHeads, savedVersionsExcept, setHead } from '../store/repositories/flow-versions';
import { audit } from '../store/repositories/audit';

export interface RegistryLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export class FlowRegistry {
  private readonly versions = new Map<string, Map<number, CompiledFlow>>();
  private readonly published = new Map<string, number>();
  private refreshing?: Promise<void>;
  /** Called after this process published or rolled back, so other processes refresh at once. */
  onLocalChange?: () => void;

  add(flow: CompiledFlow, publish = true): void {
    let byVersion = this.versions.get(flow.id);
    if (!byVersion) this.versions.set(flow.id, (byVersion = new Map()));
    byVersion.set(flow.version, flow);
    if (publish) this.published.set(flow.id, flow.version);
  }

  /** The version new conversations start on. */
  current(flowId: string): CompiledFlow | undefined {
    const v = this.published.get(flowId);
    return v === undefined ? undefined : this.versions.get(flowId)?.get(v);
  }

  version(flowId: string, version: number): CompiledFlow | undefined {
    return this.versions.get(flowId)?.get(version);
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
    await registry.refresh(db, opts.log);
    return registry;
  }

  /** Compiles versions this process has not seen and takes the published pointers from the database. */
  refresh(db: Kysely<Database>, log?: RegistryLog): Promise<void> {
    // One refresh at a time; a caller arriving meanwhile waits for the running one.
    this.refreshing ??= (async () => {
      try {
        const known = new Set<string>();
        for (const [id, byVersion] of this.versions) for (const v of byVersion.keys()) known.add(`${id}@${v}`);
        for (const row of await savedVersionsExcept(db, known)) {
          const { flow, issues } = parseFlow(row.yaml, { file: `${row.flow_id}@v${row.version}`, version: row.version });
          if (flow) this.add(flow, false);
          else log?.error({ flowId: row.flow_id, version: row.version, issues: issues.filter((i) => i.severity === 'error').slice(0, 5) }, 'stored flow version no longer loads');
        }
        for (const head of await listHeads(db)) {
          if (this.versions.get(head.flow_id)?.has(head.published_version)) {
            if (this.published.get(head.flow_id) !== head.published_version) log?.info({ flowId: head.flow_id, version: head.published_version }, 'flow version now published');
            this.published.set(head.flow_id, head.published_version);
          }
        }
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
  const { flows, issues } = loadFlowsDir(dir);
  const errors = issues.filter((i) => i.severity === 'error');
  if (errors.length) {
    throw new Error(`flows have ${errors.length} error(s):\n${errors.map((i) => `  ${i.file}${i.state ? ` [${i.state}]` : ''}: ${i.message} (${i.fix})`).join('\n')}`);
  }
  return flows;
}
