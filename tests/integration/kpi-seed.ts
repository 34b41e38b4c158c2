// Six warned people whose KPIs are known by hand (the worked example in docs/kpis.md): written straight
// into the database as the app would have left them in August 2026, with the losses reported later
// posted through the fraud-report feed, so matching runs as in production.
import type { Store } from '../../server/store/db';

interface Person {
  key: string;
  /** A district of org/units.example.yaml (the harness loads it: UNITS_FILE). */
  unit: 'D01' | 'D02';
  phone: string;
  scam: string;
  flow?: number;
  outcome?: string;
  status: 'open' | 'closed';
  warnings: string[];
  attempts: { channel: string; status: string; at: string; relative?: boolean; sid?: string }[];
  voicemailSid?: string;
  replies?: { channel: string; at: string; body: string; intent: string; atRisk?: boolean; lowConfidence?: boolean }[];
  handoff?: { reason: string; at: string; claimed?: string; resolved?: string; outcome?: string };
  /** A station visit task and what the station reported. */
  visit?: { requested: string; reported: string; result: 'met_dissuaded' | 'not_home' };
}

export const KPI_PEOPLE: Person[] = [
  {
    key: 'P1', unit: 'D01', phone: '+8613700137001', scam: 'pig_butchering', flow: 1, outcome: 'safe_aware', status: 'closed',
    warnings: ['2026-08-10T02:00:00.000Z', '2026-08-10T02:30:00.000Z'],
    attempts: [{ channel: 'voice', status: 'no-answer', at: '2026-08-10T02:01:00.000Z' }, { channel: 'voice', status: 'completed', at: '2026-08-10T02:06:00.000Z' }],
    replies: [{ channel: 'voice', at: '2026-08-10T02:07:00.000Z', body: '没有转钱，我知道是骗子', intent: 'safe_aware' }],
  },
  {
    key: 'P2', unit: 'D01', phone: '+8613700137002', scam: 'pig_butchering', flow: 1, status: 'closed',
    warnings: ['2026-08-10T03:00:00.000Z'],
    attempts: [
      { channel: 'voice', status: 'completed', at: '2026-08-10T03:01:00.000Z', sid: 'CA00000000000000000000000000000vm2' },
      { channel: 'sms', status: 'delivered', at: '2026-08-10T03:05:00.000Z' },
      { channel: 'sms', status: 'delivered', at: '2026-08-10T03:10:00.000Z', relative: true },
    ],
    voicemailSid: 'CA00000000000000000000000000000vm2',
    handoff: { reason: 'unreachable', at: '2026-08-10T03:15:00.000Z', claimed: '2026-08-10T03:20:00.000Z', resolved: '2026-08-10T03:25:00.000Z', outcome: 'visit_dispatched' },
    visit: { requested: '2026-08-10T03:25:00.000Z', reported: '2026-08-10T04:00:00.000Z', result: 'met_dissuaded' },
  },
  {
    key: 'P3', unit: 'D01', phone: '+8613700137003', scam: 'impersonation_police', flow: 2, status: 'closed',
    warnings: ['2026-08-10T04:00:00.000Z'],
    attempts: [{ channel: 'sms', status: 'delivered', at: '2026-08-10T04:01:00.000Z' }],
    replies: [{ channel: 'sms', at: '2026-08-10T04:02:00.000Z', body: '我已经转了5000', intent: 'already_paid', atRisk: true }],
    handoff: { reason: 'already_paid', at: '2026-08-10T04:02:00.000Z', claimed: '2026-08-10T04:04:00.000Z', resolved: '2026-08-10T04:10:00.000Z', outcome: 'stop_payment_requested' },
  },
  {
    key: 'P4', unit: 'D02', phone: '+8613700137004', scam: 'impersonation_police', flow: 2, outcome: 'safe_aware', status: 'closed',
    warnings: ['2026-08-10T05:00:00.000Z'],
    attempts: [{ channel: 'voice', status: 'completed', at: '2026-08-10T05:01:00.000Z' }],
    replies: [
      { channel: 'voice', at: '2026-08-10T05:02:00.000Z', body: '嗯嗯', intent: 'other', lowConfidence: true },
      { channel: 'voice', at: '2026-08-10T05:03:00.000Z', body: '[1]', intent: 'other', lowConfidence: true },
    ],
  },
  {
    key: 'P5', unit: 'D02', phone: '+8613700137005', scam: 'loan', flow: 2, outcome: 'wrong_person', status: 'closed',
    warnings: ['2026-08-11T01:00:00.000Z'],
    attempts: [{ channel: 'telegram', status: 'sent', at: '2026-08-11T01:01:00.000Z' }],
    replies: [{ channel: 'telegram', at: '2026-08-11T01:05:00.000Z', body: '你打错了，我不是他', intent: 'wrong_person' }],
  },
  {
    key: 'P6', unit: 'D02', phone: '+8613700137006', scam: 'loan', status: 'open',
    warnings: ['2026-08-11T02:00:00.000Z'],
    attempts: [
      { channel: 'voice', status: 'busy', at: '2026-08-11T02:01:00.000Z' },
      { channel: 'voice', status: 'no-answer', at: '2026-08-11T02:06:00.000Z' },
      { channel: 'sms', status: 'failed', at: '2026-08-11T02:40:00.000Z' },
    ],
    handoff: { reason: 'unreachable', at: '2026-08-11T02:45:00.000Z' },
    // The station went, and nobody was at home: no face-to-face contact.
    visit: { requested: '2026-08-11T02:45:00.000Z', reported: '2026-08-11T05:00:00.000Z', result: 'not_home' },
  },
];

/** Losses the police case system reports afterwards: P2 15 days after its warning, P4 3 days after, P3 before it. */
export const KPI_FRAUD_REPORTS = [
  { source: 'police-case-system', externalId: 'KPI-FR-P2', phone: '13700137002', occurredAt: '2026-08-25T03:00:00Z', amount: 80000, scamType: 'pig_butchering' },
  { source: 'police-case-system', externalId: 'KPI-FR-P4', phone: '+86 137 0013 7004', occurredAt: '2026-08-13T05:00:00Z', amount: 12000, scamType: 'impersonation_police' },
  { source: 'police-case-system', externalId: 'KPI-FR-P3', phone: '+8613700137003', occurredAt: '2026-08-10T03:50:00Z', amount: 5000, scamType: 'impersonation_police' },
  { source: 'police-case-system', externalId: 'KPI-FR-X', phone: '+8613700137999', occurredAt: '2026-08-12T00:00:00Z', amount: 300, scamType: 'other' },
];

export const kpiCaseId = (key: string): string => `00000000-0000-4000-9000-0000000000${key.slice(1).padStart(2, '0')}`;

export async function seedKpiPeople(store: Store): Promise<void> {
  const db = store.db;
  let n = 0;
  const units = new Map((await db.selectFrom('units').select(['id', 'code']).execute()).map((u) => [u.code, u.id]));
  const unitId = (code: string) => {
    const found = units.get(code);
    if (!found) throw new Error(`unit ${code} is not loaded: start the app with UNITS_FILE=org/units.example.yaml (EXAMPLE_UNITS)`);
    return found;
  };
  const id = (prefix: string) => `${prefix}-0000-4000-9000-${String(++n).padStart(12, '0')}`;
  for (const p of KPI_PEOPLE) {
    const caseId = kpiCaseId(p.key);
    const opened = p.warnings[0]!;
    await db
      .insertInto('cases')
      .values({
        id: caseId, case_ref: `QZKPI${p.key}`, phone: p.phone, status: p.status, locale: 'zh', scam_type: p.scam, risk_level: 'medium', warning_count: p.warnings.length,
        relatives: p.attempts.some((a) => a.relative) ? '[{"phone":"+8613700137100","relation":"father"}]' : '[]', opted_out: 0,
        flow_id: p.flow ? 'fallback' : null, flow_version: p.flow ?? null, outcome: p.outcome ?? null, opened_at: opened, updated_at: opened, closed_at: p.status === 'closed' ? opened : null, unit_id: unitId(p.unit),
      })
      .execute();
    for (const at of p.warnings) {
      await db.insertInto('warnings').values({ id: id('a1000000'), source: 'province-centre', external_id: `KPI-W-${n}`, case_id: caseId, phone: p.phone, scam_type: p.scam, risk_level: 'medium', signals: '[]', relatives: '[]', received_at: at, created_at: at }).execute();
    }
    for (const [i, a] of p.attempts.entries()) {
      await db
        .insertInto('contact_attempts')
        .values({ id: id('a2000000'), case_id: caseId, channel: a.channel, target: a.relative ? '+8613700137100' : p.phone, to_relative: a.relative ? 1 : 0, attempt_no: i + 1, dedupe_key: `${caseId}:${i}`, provider_id: a.sid ?? null, status: a.status, created_at: a.at, updated_at: a.at })
        .execute();
    }
    if (p.voicemailSid) await db.insertInto('audit_events').values({ case_id: caseId, actor: 'twilio', action: 'voicemail', detail: JSON.stringify({ callSid: p.voicemailSid }), created_at: p.attempts[0]!.at }).execute();
    for (const r of p.replies ?? []) {
      await db
        .insertInto('messages')
        .values({
          id: id('a3000000'), case_id: caseId, direction: 'in', channel: r.channel, body: r.body, flow_id: 'fallback', flow_version: p.flow ?? null, intent: r.intent, confidence: r.lowConfidence ? 0.3 : 0.9, at_risk: r.atRisk ? 1 : 0,
          classification: JSON.stringify({ intent: r.intent, confidence: r.lowConfidence ? 0.3 : 0.9, atRisk: !!r.atRisk, lowConfidence: !!r.lowConfidence }), author: 'citizen', created_at: r.at,
        })
        .execute();
    }
    if (p.handoff) {
      const h = p.handoff;
      await db
        .insertInto('handoffs')
        .values({
          id: id('a4000000'), case_id: caseId, reason: h.reason, priority: h.reason === 'already_paid' ? 100 : 40, status: h.resolved ? 'resolved' : h.claimed ? 'claimed' : 'open',
          claimed_by: h.claimed ? 'officer1' : null, claimed_at: h.claimed ?? null, resolved_at: h.resolved ?? null, outcome: h.outcome ?? null, sla_due_at: h.at, created_at: h.at,
        })
        .execute();
    }
    if (p.visit) {
      const v = p.visit;
      await db
        .insertInto('visit_tasks')
        .values({
          id: id('a5000000'), case_id: caseId, unit_id: unitId(p.unit), handoff_id: null, status: 'reported', risk_level: 'medium', deadline_at: v.reported, summary: '上门劝阻', address: null, relatives: '[]', reason: 'unreachable',
          requested_by: 'officer1', accepted_by: 'station1', accepted_at: v.requested, on_the_way_at: v.requested, reported_by: 'station1', reported_at: v.reported, result: v.result, result_note: null, escalated_at: null, created_at: v.requested, updated_at: v.reported,
        })
        .execute();
    }
  }
}
