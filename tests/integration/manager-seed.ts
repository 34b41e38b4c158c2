// Report data for the managers' console tests: four hand-made cases whose figures are known exactly,
// and a larger deterministic run for the reports page screenshot.
import type { Store } from '../../server/store/db';

interface Seed {
  id: string;
  opened: string;
  scam: string;
  flow?: [string, number];
  outcome?: string;
  warnings: string[];
  attempts?: { channel: string; status: string; at: string; done: string }[];
  replies?: { channel: string; at: string; atRisk: boolean }[];
  handoff?: { reason: string; at: string; claimed?: string; outcome?: string };
}

const SEEDS: Seed[] = [
  {
    id: '00000000-0000-4000-8000-00000000000a',
    opened: '2026-11-20T02:00:00.000Z',
    scam: 'pig_butchering',
    flow: ['fallback', 1],
    warnings: ['2026-11-20T02:00:00.000Z', '2026-11-20T02:30:00.000Z'],
    attempts: [{ channel: 'voice', status: 'completed', at: '2026-11-20T02:01:00.000Z', done: '2026-11-20T02:01:30.000Z' }],
    replies: [{ channel: 'voice', at: '2026-11-20T02:02:00.000Z', atRisk: true }],
    handoff: { reason: 'already_paid', at: '2026-11-20T02:02:00.000Z', claimed: '2026-11-20T02:05:00.000Z', outcome: 'stop_payment_requested' },
  },
  {
    id: '00000000-0000-4000-8000-00000000000b',
    opened: '2026-11-20T03:00:00.000Z',
    scam: 'impersonation_police',
    flow: ['fallback', 2],
    outcome: 'safe_aware',
    warnings: ['2026-11-20T03:00:00.000Z'],
    attempts: [{ channel: 'sms', status: 'delivered', at: '2026-11-20T03:03:00.000Z', done: '2026-11-20T03:03:05.000Z' }],
    replies: [{ channel: 'sms', at: '2026-11-20T03:10:00.000Z', atRisk: false }],
  },
  {
    id: '00000000-0000-4000-8000-00000000000c',
    opened: '2026-11-21T01:00:00.000Z',
    scam: 'impersonation_police',
    flow: ['fallback', 2],
    warnings: ['2026-11-21T01:00:00.000Z'],
    attempts: [{ channel: 'voice', status: 'no-answer', at: '2026-11-21T01:10:00.000Z', done: '2026-11-21T01:10:40.000Z' }],
    handoff: { reason: 'unreachable', at: '2026-11-21T01:30:00.000Z', claimed: '2026-11-21T01:40:00.000Z', outcome: 'visit_dispatched' },
  },
  {
    id: '00000000-0000-4000-8000-00000000000d',
    // 04:00 on 22 November in China (UTC+8).
    opened: '2026-11-21T20:00:00.000Z',
    scam: 'other',
    warnings: ['2026-11-21T20:00:00.000Z'],
  },
];

export async function seedReportData(store: Store): Promise<void> {
  let n = 0;
  const db = store.db;
  for (const c of SEEDS) {
    await db
      .insertInto('cases')
      .values({
        id: c.id,
        case_ref: `QZTEST${c.id.slice(-1).toUpperCase()}`,
        phone: `+861380013800${c.id.slice(-1) === 'a' ? 1 : c.id.slice(-1) === 'b' ? 2 : c.id.slice(-1) === 'c' ? 3 : 4}`,
        status: c.outcome || c.handoff?.outcome ? 'closed' : 'open',
        locale: 'zh',
        scam_type: c.scam,
        risk_level: 'medium',
        warning_count: c.warnings.length,
        relatives: '[]',
        opted_out: 0,
        flow_id: c.flow?.[0] ?? null,
        flow_version: c.flow?.[1] ?? null,
        outcome: c.outcome ?? null,
        opened_at: c.opened,
        updated_at: c.opened,
      })
      .execute();
    for (const at of c.warnings) {
      await db
        .insertInto('warnings')
        .values({ id: `10000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, source: 'test', external_id: `W${n}`, case_id: c.id, phone: '+8613800138000', scam_type: c.scam, risk_level: 'medium', signals: '[]', relatives: '[]', received_at: at, created_at: at })
        .execute();
    }
    for (const a of c.attempts ?? []) {
      await db
        .insertInto('contact_attempts')
        .values({ id: `20000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, case_id: c.id, channel: a.channel, target: '+8613800138000', to_relative: 0, attempt_no: 1, dedupe_key: `${c.id}:1`, status: a.status, created_at: a.at, updated_at: a.done })
        .execute();
    }
    for (const r of c.replies ?? []) {
      await db
        .insertInto('messages')
        .values({ id: `30000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, case_id: c.id, direction: 'in', channel: r.channel, body: '…', at_risk: r.atRisk ? 1 : 0, intent: r.atRisk ? 'already_paid' : 'safe_aware', author: 'citizen', created_at: r.at })
        .execute();
    }
    if (c.handoff) {
      await db
        .insertInto('handoffs')
        .values({
          id: `40000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
          case_id: c.id,
          reason: c.handoff.reason,
          priority: c.handoff.reason === 'already_paid' ? 100 : 60,
          status: 'resolved',
          claimed_by: 'officer1',
          claimed_at: c.handoff.claimed ?? null,
          resolved_at: c.handoff.claimed ?? null,
          outcome: c.handoff.outcome ?? null,
          sla_due_at: c.handoff.at,
          created_at: c.handoff.at,
        })
        .execute();
    }
  }
}

/** A pseudo-random but repeatable run: `days` days of warnings ending the day before `end`, two script versions. */
export async function seedRun(store: Store, opts: { end: Date; days: number; flowId: string }): Promise<void> {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const scams = ['pig_butchering', 'impersonation_police', 'fake_customer_service', 'task_rebate', 'loan', 'investment'];
  const iso = (ms: number) => new Date(ms).toISOString();
  let n = 0;
  const id = (prefix: string) => `${prefix}-0000-4000-8000-${String(++n).padStart(12, '0')}`;
  for (let d = opts.days; d >= 1; d--) {
    const dayStart = opts.end.getTime() - d * 86_400_000;
    const count = 14 + Math.floor(rnd() * 16);
    for (let k = 0; k < count; k++) {
      const opened = dayStart + Math.floor(rnd() * 80_000_000);
      const caseId = id('50000000');
      const version = d > opts.days / 2 ? 1 : 2;
      const answeredP = version === 1 ? 0.55 : 0.68;
      const contacted = rnd() < 0.93;
      const reached = contacted && rnd() < 0.78;
      const answered = reached && rnd() < answeredP;
      const r = rnd();
      const paid = answered && r < 0.08;
      const midScam = answered && !paid && r < 0.2;
      const dissuaded = answered && !paid && !midScam && rnd() < (version === 1 ? 0.6 : 0.74);
      const unreachable = contacted && !reached && rnd() < 0.5;
      const outcome = dissuaded ? 'safe_aware' : null;
      await store.db
        .insertInto('cases')
        .values({ id: caseId, case_ref: `QZRUN${n}`, phone: `+86139${String(n).padStart(8, '0')}`, status: 'closed', locale: rnd() < 0.85 ? 'zh' : 'en', scam_type: pick(scams), risk_level: pick(['low', 'medium', 'medium', 'high']), warning_count: 1, relatives: '[]', opted_out: 0, flow_id: answered ? opts.flowId : null, flow_version: answered ? version : null, outcome, opened_at: iso(opened), updated_at: iso(opened) })
        .execute();
      await store.db.insertInto('warnings').values({ id: id('60000000'), source: 'province', external_id: `RUN${n}`, case_id: caseId, phone: '+8613900000000', scam_type: 'other', risk_level: 'medium', signals: '[]', relatives: '[]', received_at: iso(opened), created_at: iso(opened) }).execute();
      if (!contacted) continue;
      const contactAt = opened + 20_000 + Math.floor(rnd() * 400_000);
      const channel = rnd() < 0.7 ? 'voice' : rnd() < 0.8 ? 'sms' : 'telegram';
      await store.db
        .insertInto('contact_attempts')
        .values({ id: id('70000000'), case_id: caseId, channel, target: '+8613900000000', to_relative: 0, attempt_no: 1, dedupe_key: `${caseId}:1`, status: reached ? (channel === 'voice' ? 'completed' : 'delivered') : 'no-answer', created_at: iso(contactAt), updated_at: iso(contactAt + 30_000) })
        .execute();
      if (answered)
        await store.db.insertInto('messages').values({ id: id('80000000'), case_id: caseId, direction: 'in', channel, body: '…', at_risk: paid || midScam ? 1 : 0, author: 'citizen', created_at: iso(contactAt + 60_000) }).execute();
      const reason = paid ? 'already_paid' : midScam ? 'mid_scam' : unreachable ? 'unreachable' : answered && rnd() < 0.1 ? 'request_human' : null;
      if (reason) {
        const at = contactAt + 90_000;
        const claimed = at + 30_000 + Math.floor(rnd() * (paid ? 150_000 : 900_000));
        await store.db
          .insertInto('handoffs')
          .values({ id: id('90000000'), case_id: caseId, reason, priority: paid ? 100 : midScam ? 80 : 40, status: 'resolved', claimed_by: 'officer1', claimed_at: iso(claimed), resolved_at: iso(claimed + 600_000), outcome: paid ? 'stop_payment_requested' : midScam ? 'dissuaded' : unreachable && rnd() < 0.4 ? 'visit_dispatched' : 'dissuaded', sla_due_at: iso(at + 300_000), created_at: iso(at) })
          .execute();
      }
    }
  }
}
