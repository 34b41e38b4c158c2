// The randomisation: a case whose first conversation begins on a flow under trial gets an arm at random
// and keeps it — every later conversation of the case starts on the same version, even after the trial.
import { randomInt } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, ScriptTrialRow } from '../store/schema';
import type { CompiledFlow } from '../../flows/engine';
import type { FlowRegistry } from '../cases/flow-registry';
import { assignOnce, closeTrial, countAssigned, getAssignment, runningTrialForFlow } from '../store/repositories/trials';
import { audit } from '../store/repositories/audit';
import { fromJson, nowIso } from '../store/ids';
import type { TrialStopRule } from './schema';

/** A uniform draw in [0, 1) from the operating system's generator (not Math.random: arms must not be guessable). */
export const secureRandom = (): number => randomInt(0, 2 ** 48 - 1) / 2 ** 48;

export function armFor(splitB: number, random: () => number): 'A' | 'B' {
  return random() < splitB ? 'B' : 'A';
}

export const stopRuleOf = (t: ScriptTrialRow): TrialStopRule => fromJson<TrialStopRule>(t.stop_rule, {});

/** Whether the trial has all the people it asked for, or its time is up. */
export function stopRuleMet(rule: TrialStopRule, assigned: number, now = Date.now()): boolean {
  return (rule.people !== undefined && assigned >= rule.people) || (rule.endsAt !== undefined && Date.parse(rule.endsAt) <= now);
}

/**
 * The flow version this case's next conversation starts on because of a trial, or undefined when no trial
 * concerns it (the published version applies). Several processes may assign at the same moment, so a
 * trial can take a few more people than its stop rule says; never fewer.
 */
export async function trialFlowFor(db: Kysely<Database>, flows: FlowRegistry, caseId: string, flowId: string, opts: { newCase?: boolean; random?: () => number } = {}): Promise<CompiledFlow | undefined> {
  const random = opts.random ?? secureRandom;
  // A case opened in this very transaction cannot have been pinned yet: no need to look.
  const pinned = opts.newCase ? undefined : await getAssignment(db, caseId);
  if (pinned) return pinned.flow_id === flowId ? flows.version(pinned.flow_id, pinned.flow_version) : undefined;
  const trial = await runningTrialForFlow(db, flowId);
  if (!trial) return undefined;
  const counts = await countAssigned(db, trial.id);
  if (stopRuleMet(stopRuleOf(trial), counts.A + counts.B)) {
    if (await closeTrial(db, trial.id)) await audit(db, { actor: 'system', action: 'trial_closed', detail: { trialId: trial.id, flowId, assigned: counts } });
    return undefined;
  }
  const arm = armFor(trial.split_b, random);
  const version = arm === 'A' ? trial.version_a : trial.version_b;
  const flow = flows.version(flowId, version);
  // A version this process cannot run (it failed to load) is no arm to put a citizen on.
  if (!flow) return undefined;
  const kept = await assignOnce(db, { case_id: caseId, trial_id: trial.id, arm, flow_id: flowId, flow_version: version, assigned_at: nowIso() });
  return flows.version(kept.flow_id, kept.flow_version);
}
