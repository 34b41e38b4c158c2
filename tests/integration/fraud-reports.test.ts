// The fraud-report feed on the real app: reports matched by normalised phone to the people we warned,
// idempotent by source + externalId, an already_paid handoff at once on an open case, clear 4xx on bad input.
import { ENGINES } from '../support/databases';
import { fileWarning, managerFetch, startHarness, type Harness } from './manager-harness';

describe.each(ENGINES)('fraud reports on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make());
  });
  afterAll(async () => {
    await h.close();
  });
  const post = async (body: unknown, as: 'intake' | 'desk' = 'intake') => {
    const res = await managerFetch(h, '/api/fraud-reports', { method: 'POST', as, body });
    return { status: res.status, body: (await res.json()) as any };
  };
  const audits = (caseId: string) => h.store.db.selectFrom('audit_events').select(['action', 'detail']).where('case_id', '=', caseId).where('action', '=', 'fraud_report_matched').execute();

  it('matches a loss to the warned person and opens an already_paid handoff on their open case at once', async () => {
    const caseId = await fileWarning(h, { externalId: 'W-FR-1', phone: '+8613800138201', name: '张三', locale: 'zh', scamType: 'impersonation_police', riskLevel: 'medium' });
    // Let the outreach begin, so the report meets a case in its ordinary life, not one still in triage.
    await h.stack.network.control.waitForSms('+8613800138201', { timeoutMs: 15000 });
    const occurredAt = new Date().toISOString();
    // The case system writes the number its own way; it is the same person.
    const r = await post({ source: 'police-case-system', externalId: 'FR-1', phone: '138 0013 8201', occurredAt, amount: 30000, scamType: 'impersonation_police' });
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ index: 0, status: 'accepted', matched: true, afterWarning: true, handoffOpened: true, accepted: 1, duplicate: 0, rejected: 0 });

    const handoff = await h.store.db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(handoff).toMatchObject({ reason: 'already_paid', priority: 100, status: 'open' });
    expect(handoff.note).toBe(`fraud report police-case-system/FR-1: lost ¥30000 at ${occurredAt}; stop-payment now`);
    const stored = await h.store.db.selectFrom('fraud_reports').selectAll().where('id', '=', r.body.reportId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ phone: '+8613800138201', case_id: caseId, handoff_id: handoff.id, scam_type: 'impersonation_police', scam_type_given: null, amount: 30000, received_by: 'key:intake' });
    const warning = await h.store.db.selectFrom('warnings').select('received_at').where('case_id', '=', caseId).executeTakeFirstOrThrow();
    expect(stored.warning_at).toBe(warning.received_at);

    // The desk sees it at the top of the queue, with its two-minute deadline.
    const queue = await managerFetch(h, '/api/desk/queue', { as: 'desk' });
    const items = ((await queue.json()) as { items: { caseId: string; reason: string }[] }).items;
    expect(items[0]).toMatchObject({ caseId, reason: 'already_paid' });
    expect(Math.round((Date.parse(handoff.sla_due_at) - Date.parse(handoff.created_at)) / 1000)).toBe(120);
    // The stop-payment clock runs from when the report reached us: the citizen never wrote of the payment.
    const view = (await (await managerFetch(h, `/api/desk/cases/${caseId}`, { as: 'desk' })).json()) as { stopPaymentClock: { firstMentionedAt: string | null; windowMinutes: number } };
    expect(view.stopPaymentClock).toMatchObject({ firstMentionedAt: stored.received_at, windowMinutes: 30 });

    // Sent again: the same report, nothing new.
    const again = await post({ source: 'police-case-system', externalId: 'FR-1', phone: '+8613800138201', occurredAt, amount: 30000 });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: 'duplicate', reportId: r.body.reportId, duplicate: 1 });
    expect(await h.store.db.selectFrom('fraud_reports').select('id').where('phone', '=', '+8613800138201').execute()).toHaveLength(1);
    expect(await audits(caseId)).toHaveLength(1);
    expect(await h.store.db.selectFrom('handoffs').select('id').where('case_id', '=', caseId).execute()).toHaveLength(1);
  });

  it('keeps a loss before any warning apart from re-victimisation, and stores unknown numbers and types as given', async () => {
    const caseId = await fileWarning(h, { externalId: 'W-FR-2', phone: '+8613800138202', locale: 'zh', scamType: 'loan', riskLevel: 'low' });
    const before = new Date(Date.now() - 3 * 86_400_000).toISOString();
    const r = await post({
      reports: [
        { source: 'police-case-system', externalId: 'FR-2', phone: '+8613800138202', occurredAt: before, amount: 500, scamType: 'loan' },
        { source: 'police-case-system', externalId: 'FR-3', phone: '+8613900139999', occurredAt: before, scamType: 'romance' },
        { source: 'police-case-system', externalId: 'FR-4', phone: 'not a phone', occurredAt: before },
        { source: 'police-case-system', externalId: 'FR-5', phone: '+8613900139998' },
      ],
    });
    expect(r.status).toBe(202);
    expect(r.body).toEqual({
      accepted: 2,
      duplicate: 0,
      rejected: 2,
      results: [
        { index: 0, status: 'accepted', reportId: expect.any(String), matched: true, afterWarning: false, handoffOpened: true },
        { index: 1, status: 'accepted', reportId: expect.any(String), matched: false, afterWarning: false, handoffOpened: false },
        { index: 2, status: 'rejected', reason: 'phone: "not a phone" is not a phone number (digits, spaces, + - ( ) only)' },
        { index: 3, status: 'rejected', reason: 'occurredAt: required: when the loss happened' },
      ],
    });
    const early = await h.store.db.selectFrom('fraud_reports').selectAll().where('external_id', '=', 'FR-2').executeTakeFirstOrThrow();
    expect(early).toMatchObject({ case_id: caseId, warning_at: null });
    const stranger = await h.store.db.selectFrom('fraud_reports').selectAll().where('external_id', '=', 'FR-3').executeTakeFirstOrThrow();
    expect(stranger).toMatchObject({ case_id: null, warning_at: null, handoff_id: null, scam_type: 'other', scam_type_given: 'romance' });
    expect((await audits(caseId)).map((a) => JSON.parse(a.detail!).afterWarning)).toEqual([false]);
  });

  it('refuses bad input and callers without the intake role, naming the problem', async () => {
    const missing = await post({ source: 'police-case-system', externalId: 'FR-9', phone: '+8613800138209', occurredAt: 'yesterday' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: 'validation_error', message: 'invalid fraud report: occurredAt: must be an ISO-8601 time with its offset, e.g. 2026-11-20T10:00:00+08:00' });
    const future = await post({ source: 'police-case-system', externalId: 'FR-10', phone: '+8613800138209', occurredAt: '2099-01-01T00:00:00Z' });
    expect(future.body.message).toBe('invalid fraud report: occurredAt: 2099-01-01T00:00:00Z is in the future');
    const negative = await post({ source: 'police-case-system', externalId: 'FR-11', phone: '+8613800138209', occurredAt: new Date().toISOString(), amount: -5 });
    expect(negative.body.message).toBe('invalid fraud report: amount: Too small: expected number to be >=0');
    const empty = await post({ reports: [] });
    expect(empty.body).toEqual({ error: 'validation_error', message: 'reports: must hold at least one report' });
    const desk = await post({ source: 'x', externalId: 'y', phone: '+8613800138209', occurredAt: new Date().toISOString() }, 'desk');
    expect(desk.status).toBe(403);
    expect(desk.body.error).toBe('forbidden');
    expect(await h.store.db.selectFrom('fraud_reports').select('id').where('phone', '=', '+8613800138209').execute()).toEqual([]);
  });
});
