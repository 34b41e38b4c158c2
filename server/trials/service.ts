// Script trials as the managers' console sees them: start one between two published versions of a flow,
// read its report, stop it — publishing the winner when one is clear, or keeping the published version.
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { FlowRegistry } from '../cases/flow-registry';
import { ConflictError, NotFoundError } from '../errors';
import { audit } from '../store/repositories/audit';
import { newId, nowIso, toJson } from '../store/ids';
import { getHead, getVersion, setHead } from '../store/repositories/flow-versions';
import { countAssigned, getTrial, insertTrial, listTrials, markTrialStopped } from '../store/repositories/trials';
import { isUniqueViolation } from '../cases/intake';
import { presentTrial, trialReport } from './report';
import type { StartTrialInput, StopTrialInput } from './schema';

export class ScriptTrials {
  constructor(private readonly d: { db: Kysely<Database>; registry: FlowRegistry }) {}

  async start(input: StartTrialInput, actor: string) {
    const head = await getHead(this.d.db, input.flowId);
    if (!head) throw new NotFoundError(`no flow ${input.flowId}`);
    for (const v of [input.versionA, input.versionB]) {
      const row = await getVersion(this.d.db, input.flowId, v);
      if (!row) throw new NotFoundError(`flow ${input.flowId} has no version ${v}`);
      if (row.status !== 'saved') throw new ConflictError(`v${v} of ${input.flowId} is the draft: publish it before trying it on citizens`);
    }
    // Every process must be able to run both arms before anyone is put on them.
    await this.d.registry.refresh(this.d.db);
    for (const v of [input.versionA, input.versionB]) {
      if (!this.d.registry.version(input.flowId, v)) throw new ConflictError(`v${v} of ${input.flowId} no longer passes the checker: it cannot be tried`);
    }
    const id = newId();
    try {
      await this.d.db.transaction().execute(async (trx) => {
        await insertTrial(trx, {
          id,
          flow_id: input.flowId,
          version_a: input.versionA,
          version_b: input.versionB,
          split_b: input.splitB,
          stop_rule: toJson(input.stopRule),
          alpha: input.alpha,
          status: 'running',
          note: input.note || null,
          started_by: actor,
          started_at: nowIso(),
          closed_at: null,
          stopped_by: null,
          stopped_at: null,
          decision: null,
          published_version: null,
        });
        await audit(trx, { actor, action: 'trial_started', detail: { trialId: id, flowId: input.flowId, versionA: input.versionA, versionB: input.versionB, splitB: input.splitB, stopRule: input.stopRule } });
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError(`a trial of ${input.flowId} is already running: stop it first`);
      throw err;
    }
    return this.get(id);
  }

  async list(flowId?: string) {
    const rows = await listTrials(this.d.db, flowId);
    return Promise.all(rows.map(async (t) => presentTrial(t, await countAssigned(this.d.db, t.id))));
  }

  async get(id: string) {
    return trialReport(this.d.db, await this.trial(id));
  }

  /** Ends the trial. Cases already assigned keep their version; new conversations start on the published one. */
  async stop(id: string, input: StopTrialInput, actor: string) {
    const t = await this.trial(id);
    if (t.status === 'stopped') throw new ConflictError(`trial ${id} was already stopped (${t.decision})`);
    const report = await trialReport(this.d.db, t);
    let publish: number | undefined;
    if (input.decision === 'publish_winner') {
      if (report.verdict.kind !== 'winner') {
        const why = report.verdict.kind === 'collecting' ? 'the trial has not reached its stop rule yet' : `no winner is clear (${report.verdict.reason.replace(/_/g, ' ')})`;
        throw new ConflictError(`cannot publish a winner: ${why}; keep the current version instead`);
      }
      publish = report.verdict.version;
    }
    const head = await getHead(this.d.db, t.flow_id);
    const changes = publish !== undefined && head?.published_version !== publish;
    await this.d.db.transaction().execute(async (trx) => {
      if (!(await markTrialStopped(trx, id, { stopped_by: actor, decision: publish === undefined ? 'kept_current' : publish === t.version_a ? 'published_a' : 'published_b', published_version: publish ?? null }))) {
        throw new ConflictError(`trial ${id} was stopped meanwhile`);
      }
      if (changes) {
        await setHead(trx, t.flow_id, publish!, actor);
        await audit(trx, { actor, action: 'flow_published', detail: { flowId: t.flow_id, version: publish, previous: head?.published_version, trialId: id } });
      }
      await audit(trx, { actor, action: 'trial_stopped', detail: { trialId: id, flowId: t.flow_id, decision: input.decision, published: publish ?? null, verdict: report.verdict } });
    });
    if (changes) {
      await this.d.registry.refresh(this.d.db);
      this.d.registry.onLocalChange?.();
    }
    return this.get(id);
  }

  private async trial(id: string) {
    const t = id.length <= 64 ? await getTrial(this.d.db, id) : undefined;
    if (!t) throw new NotFoundError(`no trial ${id}`);
    return t;
  }
}
