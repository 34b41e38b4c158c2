// Every version of every flow the server may need: conversations stay pinned to the version they began on.
import { loadFlowsDir, type CompiledFlow } from '../../flows/engine';

export class FlowRegistry {
  private readonly versions = new Map<string, Map<number, CompiledFlow>>();
  private readonly published = new Map<string, number>();

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

  /** Loads the YAML flows shipped in flows/ as their first published versions; refuses to start on errors. */
  static fromDirectory(dir?: string): FlowRegistry {
    const { flows, issues } = loadFlowsDir(dir);
    const errors = issues.filter((i) => i.severity === 'error');
    if (errors.length) {
      throw new Error(`flows have ${errors.length} error(s):\n${errors.map((i) => `  ${i.file}${i.state ? ` [${i.state}]` : ''}: ${i.message} (${i.fix})`).join('\n')}`);
    }
    const registry = new FlowRegistry();
    for (const flow of flows.values()) registry.add(flow);
    return registry;
  }
}
