// The centre's KPIs on a hand-made run of six people (the worked example in docs/kpis.md), on both
// engines: every figure of the total, per channel and per script version, the CSV, and re-victimisation
// from losses posted through the fraud-report feed.
import { ENGINES } from '../support/databases';
import { EXAMPLE_UNITS, managerFetch, startHarness, type Harness } from './manager-harness';
import { KPI_FRAUD_REPORTS, seedKpiPeople } from './kpi-seed';

describe.each(ENGINES)('KPIs on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make(), { env: { UNITS_FILE: EXAMPLE_UNITS } });
    await seedKpiPeople(h.store);
    const res = await managerFetch(h, '/api/fraud-reports', { method: 'POST', as: 'intake', body: { reports: KPI_FRAUD_REPORTS } });
    const body = (await res.json()) as { results: { matched: boolean; afterWarning: boolean }[] };
    expect(body.results.map((r) => [r.matched, r.afterWarning])).toEqual([[true, true], [true, true], [true, false], [false, false]]);
  });
  afterAll(async () => {
    await h.close();
  });
  const report = async (q: string) => (await (await managerFetch(h, `/api/reports?from=2026-08-10&to=2026-08-11&tz=480&${q}`)).json()) as any;

  it('computes every KPI of the period from its formula', async () => {
    const r = await report('groupBy=day');
    expect(r.total).toMatchObject({ warnings: 7, people: 6, dissuaded: 2, visits: 2, stopPayments: 1 });
    expect(r.total.visitDeadlines).toEqual({ tasks: 2, reported: 2, inTime: 2, due: 2, inTimeRate: 1 });
    // P3's stop-payment is its handoff's outcome; no request rows in the seed, so no window rate.
    expect(r.total.stopPaymentRequests).toEqual({ requests: 0, byStatus: { requested: 0, confirmed: 0, frozen: 0, refused: 0, amount_returned: 0 }, withinWindow: 0, withinWindowRate: null });
    expect(r.total.kpis).toEqual({
      attempts: 10,
      connectedAttempts: 5,
      connectionRate: 0.5,
      connectedPeople: 5,
      effective: 3,
      effectiveCommunicationRate: 0.6,
      dissuasionRate: 2 / 3,
      visited: 1,
      faceToFaceRate: 1 / 6,
      contacts: 11,
      contactsPerSuccess: 5.5,
      timeToHuman: { median: 240, p90: 1200, n: 2 },
      timeToVisit: { median: 3600, p90: 3600, n: 1 },
    });
    expect(r.total.revictimisation).toEqual({
      victims: 2,
      d7: { eligible: 6, victims: 1, rate: 1 / 6 },
      d30: { eligible: 6, victims: 2, rate: 2 / 6 },
      d90: { eligible: 6, victims: 2, rate: 2 / 6 },
    });
    expect(r.rows.map((x: any) => [x.key, x.people, x.kpis.attempts, x.kpis.effective, x.revictimisation.victims])).toEqual([
      ['2026-08-10', 4, 6, 3, 2],
      ['2026-08-11', 2, 4, 0, 0],
    ]);
  });

  it('counts attempts under their own channel and people under the channel that first reached them', async () => {
    const r = await report('groupBy=channel');
    const rows = r.rows.map((x: any) => [x.key, x.people, x.kpis.attempts, x.kpis.connectedAttempts, x.kpis.connectionRate, x.kpis.effective, x.dissuaded]);
    expect(rows).toEqual([
      ['(not reached)', 1, 0, 0, null, 0, 0],
      ['sms', 1, 3, 2, 2 / 3, 1, 0],
      ['telegram', 1, 1, 1, 1, 0, 0],
      ['voice', 3, 6, 2, 1 / 3, 2, 2],
    ]);
  });

  it('compares script versions on dissuasion and re-victimisation, and units on theirs', async () => {
    const r = await report('groupBy=flow_version');
    expect(r.rows.map((x: any) => [x.key, x.people, x.kpis.dissuasionRate, x.revictimisation.d30.victims, x.revictimisation.d30.rate])).toEqual([
      ['(no conversation)', 1, null, 0, 0],
      ['fallback v1', 2, 1, 1, 0.5],
      ['fallback v2', 3, 0.5, 1, 1 / 3],
    ]);
    const units = await report('groupBy=unit');
    expect(units.rows.map((x: any) => [x.key, x.people, x.kpis.connectionRate, x.kpis.faceToFaceRate, x.kpis.timeToVisit.median, x.revictimisation.d90.victims])).toEqual([
      ['D01', 3, 3 / 5, 1 / 3, 3600, 1],
      ['D02', 3, 2 / 5, 0, null, 1],
    ]);
    expect(units.rows.map((x: any) => [x.key, x.visitDeadlines.inTime, x.visitDeadlines.due, x.revictimisation.d7.victims])).toEqual([
      ['D01', 1, 1, 0],
      ['D02', 1, 1, 1],
    ]);
    const bad = await managerFetch(h, '/api/reports?groupBy=precinct');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toBe(
      'invalid query: groupBy: Invalid option: expected one of "day"|"scam_type"|"flow_version"|"channel"|"unit"',
    );
  });

  it('exports the KPIs in the CSV after the earlier columns', async () => {
    const res = await managerFetch(h, '/api/reports.csv?from=2026-08-10&to=2026-08-11&tz=480&groupBy=scam_type');
    const [header, ...lines] = (await res.text()).replace(/^\ufeff/, '').trimEnd().split('\r\n');
    const cols = header!.split(',');
    expect(cols.slice(0, 2)).toEqual(['group', 'warnings']);
    expect(cols.slice(cols.indexOf('human_pickup_p90_s') + 1)).toEqual([
      'attempts', 'connected_attempts', 'connection_rate', 'connected_people', 'effective_communication', 'effective_communication_rate', 'dissuasion_rate',
      'visited', 'face_to_face_rate', 'contacts', 'contacts_per_success', 'time_to_human_median_s', 'time_to_human_p90_s', 'time_to_visit_median_s', 'time_to_visit_p90_s',
      'victims_after_warning', 'eligible_7d', 'revictimised_7d', 'revictimisation_rate_7d', 'eligible_30d', 'revictimised_30d', 'revictimisation_rate_30d', 'eligible_90d', 'revictimised_90d', 'revictimisation_rate_90d',
      // Organisation (issue 15)
      'visit_tasks', 'visits_due', 'visits_in_time', 'visits_in_time_rate', 'stop_payment_requests', 'stop_payments_within_window', 'stop_payments_within_window_rate',
    ]);
    const total = lines.find((l) => l.startsWith('total,'))!.split(',');
    const at = (c: string) => total[cols.indexOf(c)];
    expect([at('connection_rate'), at('effective_communication_rate'), at('dissuasion_rate'), at('face_to_face_rate'), at('contacts_per_success')]).toEqual(['0.5', '0.6', '0.6667', '0.1667', '5.5']);
    expect([at('time_to_human_median_s'), at('time_to_visit_median_s'), at('revictimised_7d'), at('revictimisation_rate_30d')]).toEqual(['240', '3600', '1', '0.3333']);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['impersonation_police', 'loan', 'pig_butchering', 'total']);
  });
});
