// The managers' figures from a seeded run: people reached per channel, outcomes, handoff reasons,
// times to first contact and to a human (median, p90), by day / scam type / flow version, and CSV.
import { ENGINES } from '../support/databases';
import { managerFetch, startHarness, type Harness } from './manager-harness';
import { seedReportData } from './manager-seed';

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
    // The KPIs (tests/integration/kpis.test.ts) come on top of these, which keep their meaning.
    const { kpis, revictimisation, ...earlier } = r.body.total;
    expect(kpis).toMatchObject({ attempts: 3, connectedAttempts: 2, timeToHuman: { median: 300, p90: 2400, n: 2 } });
    expect(revictimisation.victims).toBe(0);
    expect(earlier).toEqual({
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
      // Organisation (issue 15): no station visits and no stop-payment requests in this seed.
      visitDeadlines: { tasks: 0, reported: 0, inTime: 0, due: 0, inTimeRate: null },
      stopPaymentRequests: { requests: 0, byStatus: { requested: 0, confirmed: 0, frozen: 0, refused: 0, amount_returned: 0 }, withinWindow: 0, withinWindowRate: null },
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
    // The earlier columns, as they were; the KPI columns follow them.
    const lines = (r.body as string).replace(/^\ufeff/, '').trimEnd().split('\r\n').map((l) => l.split(',').slice(0, 28).join(','));
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
    const desk = await managerFetch(h, '/api/reports', { as: 'desk' });
    expect(desk.status).toBe(403);
  });
});
