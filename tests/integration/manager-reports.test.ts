// The managers' figures from a seeded run: people reached per channel, outcomes, handoff reasons,
// times to first contact and to a human (median, p90), by day / scam type / flow version, and CSV.
import { ENGINES } from '../support/databases';
import { KEYS, managerFetch, startHarness, type Harness } from './manager-harness';
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

describe.each(ENGINES)('reports on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make());
    await seedReportData(h.store);
  });
  afterAll(async () => {
    await h.close();
  });
  const get = async (p: string) => {
    const res = await managerFetch(h, p);
    return { status: res.status, headers: res.headers, body: (res.headers.get('content-type') ?? '').includes('json') ? await res.json() : await res.text() };
  };

  it('counts each figure over the period, with median and p90 times', async () => {
    const r = await get('/api/reports?from=2026-11-20&to=2026-11-22&tz=480');
    expect(r.status).toBe(200);
    expect(r.body.total).toEqual({
      key: 'total',
      warnings: 5,
      people: 4,
      contacted: 3,
      reached: 2,
      reachedByChannel: { voice: 1, sms: 1, telegram: 0 },
      answered: 2,
      dissuaded: 1,
      handedOff: 2,
      handoffsByReason: { already_paid: 1, mid_scam: 0, request_human: 0, low_confidence: 0, distrust: 0, unreachable: 1, review: 0, opted_out: 0, flow_error: 0, other: 0 },
      atRiskReplies: 1,
      stopPayments: 1,
      visits: 1,
      firstContact: { median: 180, p90: 600, n: 3 },
      humanPickup: { median: 300, p90: 2400, n: 2 },
    });
  });

  it('groups by local day', async () => {
    const r = await get('/api/reports?from=2026-11-20&to=2026-11-22&tz=480&groupBy=day');
    expect(r.body.rows.map((x: { key: string; people: number; warnings: number }) => [x.key, x.people, x.warnings])).toEqual([
      ['2026-11-20', 2, 3],
      ['2026-11-21', 1, 1],
      ['2026-11-22', 1, 1],
    ]);
  });

  it('compares flow versions on outcomes', async () => {
    const r = await get('/api/reports?from=2026-11-20&to=2026-11-22&groupBy=flow_version');
    const rows = r.body.rows.map((x: { key: string; people: number; answered: number; dissuaded: number; visits: number }) => [x.key, x.people, x.answered, x.dissuaded, x.visits]);
    expect(rows).toEqual([
      ['(no conversation)', 1, 0, 0, 0],
      ['fallback v1', 1, 1, 0, 0],
      ['fallback v2', 2, 1, 1, 1],
    ]);
    const one = await get('/api/reports?from=2026-11-20&to=2026-11-22&groupBy=scam_type&flowId=fallback');
    expect(one.body.rows.map((x: { key: string; people: number }) => [x.key, x.people])).toEqual([
      ['impersonation_police', 2],
      ['pig_butchering', 1],
    ]);
  });

  it('leaves out what happened outside the period', async () => {
    const r = await get('/api/reports?from=2026-11-21&to=2026-11-21&tz=480');
    expect(r.body.total).toMatchObject({ people: 1, warnings: 1, visits: 1 });
    const none = await get('/api/reports?from=2026-10-01&to=2026-10-02');
    expect(none.body).toMatchObject({ rows: [], total: null });
  });

  it('exports the same figures as CSV', async () => {
    const r = await get('/api/reports.csv?from=2026-11-20&to=2026-11-22&tz=480&groupBy=scam_type');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(r.headers.get('content-disposition')).toBe('attachment; filename=quanzu-report-scam_type-2026-11-20-2026-11-22.csv');
    const lines = (r.body as string).replace(/^\ufeff/, '').trimEnd().split('\r\n');
    expect(lines).toEqual([
      'group,warnings,people,contacted,reached,reached_voice,reached_sms,reached_telegram,answered,dissuaded,handed_off,handoff_already_paid,handoff_mid_scam,handoff_request_human,handoff_low_confidence,handoff_distrust,handoff_unreachable,handoff_review,handoff_opted_out,handoff_flow_error,handoff_other,at_risk_replies,stop_payments,visits,first_contact_median_s,first_contact_p90_s,human_pickup_median_s,human_pickup_p90_s',
      'impersonation_police,2,2,2,1,0,1,0,1,1,1,0,0,0,0,0,1,0,0,0,0,0,0,1,180,600,2400,2400',
      'other,1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,,,,',
      'pig_butchering,2,1,1,1,1,0,0,1,0,1,1,0,0,0,0,0,0,0,0,0,1,1,0,60,60,300,300',
      'total,5,4,3,2,1,1,0,2,1,2,1,0,0,0,0,1,0,0,0,0,1,1,1,180,600,300,2400',
    ]);
  });

  it('rejects a bad period and a caller without the manager role', async () => {
    const r = await get('/api/reports?from=2026-11-22&to=2026-11-20');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('invalid query: to must not be before from');
    const long = await get('/api/reports?from=2025-01-01&to=2026-11-20');
    expect(long.body.message).toBe('invalid query: a report covers at most 400 days');
    const desk = await managerFetch(h, '/api/reports', { key: KEYS.desk });
    expect(desk.status).toBe(403);
  });
});
