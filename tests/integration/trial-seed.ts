// Trial data for the reports: a published second version of a flow through the managers' API, and arms
// of people with known outcomes, written as the app would have left them.
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { Store } from '../../server/store/db';
import { managerFetch, type Harness } from './manager-harness';

/** Publishes a new version of a shipped flow through the managers' API, its scam phrase (in the greeting) marked; returns the version. */
export async function publishMarkedVersion(h: Harness, flowId: string, mark: string): Promise<number> {
  const got = (await (await managerFetch(h, `/api/flows/${flowId}`)).json()) as { flow: { yaml: string } };
  const doc = parseYaml(got.flow.yaml) as { phrases?: Record<string, { zh: string; en: string }> };
  const scam = doc.phrases?.scam ?? { zh: '电信网络诈骗', en: 'a phone or online scam' };
  doc.phrases = { ...doc.phrases, scam: { zh: `${mark}${scam.zh.replace(/^【V\d+】/, '')}`, en: scam.en } };
  const draft = await managerFetch(h, `/api/flows/${flowId}/draft`, { method: 'PUT', body: { yaml: stringifyYaml(doc) } });
  if (draft.status !== 200) throw new Error(`draft of ${flowId}: ${draft.status} ${await draft.text()}`);
  const res = await managerFetch(h, `/api/flows/${flowId}/publish`, { method: 'POST' });
  const body = (await res.json()) as { version: number };
  if (res.status !== 200) throw new Error(`publish of ${flowId}: ${res.status} ${JSON.stringify(body)}`);
  return body.version;
}

export interface ArmSeed {
  people: number;
  dissuaded: number;
  atRisk: number;
  victims: number;
}

let counter = 0;

/** People assigned to one arm of a trial: the first `dissuaded` dissuaded, `atRisk` handed off at risk, `victims` lost money 5 days after the warning. */
export async function seedArm(store: Store, t: { trialId: string; flowId: string; arm: 'A' | 'B'; version: number; scamType: string }, seed: ArmSeed): Promise<void> {
  const db = store.db;
  const base = Date.parse('2026-09-01T02:00:00Z');
  for (let i = 0; i < seed.people; i++) {
    const n = ++counter;
    const hex = n.toString(16).padStart(12, '0');
    const caseId = `b0000000-0000-4000-8000-${hex}`;
    const opened = new Date(base + n * 60_000).toISOString();
    await db
      .insertInto('cases')
      .values({
        id: caseId, case_ref: `QZTRIAL${n}`, phone: `+86136${String(n).padStart(8, '0')}`, status: 'closed', locale: 'zh', scam_type: t.scamType, risk_level: 'medium', warning_count: 1, relatives: '[]', opted_out: 0,
        flow_id: t.flowId, flow_version: t.version, outcome: i < seed.dissuaded ? 'safe_aware' : null, opened_at: opened, updated_at: opened, closed_at: opened,
      })
      .execute();
    await db.insertInto('warnings').values({ id: `b1000000-0000-4000-8000-${hex}`, source: 'province-centre', external_id: `TRIAL-W-${n}`, case_id: caseId, phone: `+86136${String(n).padStart(8, '0')}`, scam_type: t.scamType, risk_level: 'medium', signals: '[]', relatives: '[]', received_at: opened, created_at: opened }).execute();
    await db.insertInto('trial_assignments').values({ case_id: caseId, trial_id: t.trialId, arm: t.arm, flow_id: t.flowId, flow_version: t.version, assigned_at: opened }).execute();
    if (i >= seed.people - seed.atRisk) {
      await db.insertInto('handoffs').values({ id: `b2000000-0000-4000-8000-${hex}`, case_id: caseId, reason: 'mid_scam', priority: 80, status: 'resolved', claimed_by: 'officer1', claimed_at: opened, resolved_at: opened, outcome: 'false_alarm', sla_due_at: opened, created_at: opened }).execute();
    }
    if (i >= seed.dissuaded && i < seed.dissuaded + seed.victims) {
      const lost = new Date(Date.parse(opened) + 5 * 86_400_000).toISOString();
      await db
        .insertInto('fraud_reports')
        .values({ id: `b3000000-0000-4000-8000-${hex}`, source: 'police-case-system', external_id: `TRIAL-FR-${n}`, phone: `+86136${String(n).padStart(8, '0')}`, occurred_at: lost, amount: 1000, scam_type: t.scamType, scam_type_given: null, case_id: caseId, warning_at: opened, handoff_id: null, received_by: 'key:intake', received_at: lost })
        .execute();
    }
  }
}
