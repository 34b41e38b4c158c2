// The second review and station visits on the whole running system, on SQLite and PostgreSQL: a review
// handoff decided with its own form; a visit becomes a task for the chosen police station with the deadline
// of the case's risk tier, carrying the summary, address, relatives and transcript; the station accepts it,
// sets out and reports; the result goes back into the case's life; an overdue visit escalates.
import path from 'node:path';
import { Person, addUser, handoffOf, startDeskHarness, type DeskHarness } from './desk-harness';
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';

jest.setTimeout(150_000);

const UNITS_FILE = path.resolve(__dirname, '../../org/units.example.yaml');

let seq = 0;
const nextPhone = () => `+86135${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(5, '0')}`;

describe.each(ENGINES)('second review and station visits on %s', (_engine, makeDb) => {
  let h: DeskHarness;
  const p: Record<string, Person> = {};

  /** A medium-risk warning over ¥50,000: a review handoff for the desk (large_amount), SMS outreach meanwhile. */
  async function reviewCase(extra: Record<string, unknown> = {}) {
    const phone = nextPhone();
    const r = await h.stack.api('POST', '/api/warnings', 'intake', {
      source: 'province-centre',
      externalId: `W-${Date.now()}-${++seq}`,
      phone,
      name: '张某',
      scamType: 'impersonation_police',
      riskLevel: 'medium',
      amount: 300000,
      locale: 'zh',
      unitCode: 'D01',
      address: '城东区解放路12号3单元501',
      relatives: [{ phone: nextPhone(), relation: '父亲' }],
      ...extra,
    });
    expect(r.status).toBe(202);
    const handoff = await handoffOf(h, r.body.caseId, 'review');
    return { caseId: r.body.caseId as string, caseRef: r.body.caseRef as string, handoffId: handoff.id, phone };
  }
  const caseRow = (id: string) => h.store.db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const review = (who: string, handoffId: string, body: unknown) => p[who]!.json('POST', `/api/desk/handoffs/${handoffId}/review`, body);

  beforeAll(async () => {
    h = await startDeskHarness({ db: makeDb(), env: { UNITS_FILE } });
    for (const [u, role, unit, unitRole] of [
      ['d1.desk', 'desk', 'D01', 'desk_officer'],
      ['d1.sup', 'desk', 'D01', 'supervisor'],
      ['s1.li', 'desk', 'D01-S01', 'station_officer'],
      ['s2.wu', 'desk', 'D01-S02', 'station_officer'],
    ] as const) {
      await addUser(h.store, u, role);
      expect((await h.stack.api('PATCH', `/api/org/people/${u}`, 'admin', { unitCode: unit, unitRole })).status).toBe(200);
      p[u] = new Person(h.baseUrl);
      expect((await p[u]!.login(u)).status).toBe(200);
    }
  });
  afterAll(() => h?.close());

  it('decides a review with its own form; a visit becomes a station task with the tier deadline and everything for the door', async () => {
    const c = await reviewCase();
    const queued = (await p['d1.desk']!.json('GET', '/api/desk/queue')).body.items.find((i: { caseId: string }) => i.caseId === c.caseId);
    expect(queued).toMatchObject({ kind: 'review', reason: 'review' });
    expect((await p['d1.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/claim`)).status).toBe(200);
    // The dissuasion outcomes do not apply to a review.
    expect(await p['d1.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/resolve`, { outcome: 'dissuaded' })).toEqual({
      status: 409, body: { error: 'conflict', message: 'this is a second review: decide it with POST /api/desk/handoffs/{id}/review (visit, call_again or false_alarm, and a reason)' },
    });
    expect(await review('d1.desk', c.handoffId, { decision: 'dissuaded', reason: 'x' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid review: decision: must be one of visit, call_again, false_alarm' },
    });
    expect(await review('d1.desk', c.handoffId, { decision: 'visit' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid review: reason: Invalid input: expected string, received undefined' },
    });
    expect(await review('d1.desk', c.handoffId, { decision: 'visit', reason: '金额大，多次未接' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'stationCode: required: the police station that goes to the door (the case names none)' },
    });
    expect(await review('d1.desk', c.handoffId, { decision: 'visit', reason: '金额大，多次未接', stationCode: 'D02-S01' })).toEqual({
      status: 403, body: { error: 'forbidden', message: 'station D02-S01 is not under your unit' },
    });
    const decided = await review('d1.desk', c.handoffId, { decision: 'visit', reason: '金额大，短信已读未回，需上门', stationCode: 'd01-s01' });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ handoff: { status: 'resolved', outcome: 'visit_dispatched' }, station: 'D01-S01' });
    // Medium risk: four hours (org/units.example.yaml visitDeadlineMinutes).
    const minutes = (Date.parse(decided.body.deadlineAt) - Date.parse(decided.body.handoff.resolvedAt)) / 60_000;
    expect(minutes).toBeGreaterThan(239);
    expect(minutes).toBeLessThanOrEqual(240);
    // The case stays open, moved into the station's queue, and waits for the visit's report.
    const row = await caseRow(c.caseId);
    expect(row.status).toBe('open');
    expect(JSON.parse(row.lifecycle!).timers).toEqual(expect.arrayContaining([{ action: 'visit_due', at: decided.body.deadlineAt }]));
    expect((await h.store.db.selectFrom('units').select('code').where('id', '=', row.unit_id!).executeTakeFirstOrThrow()).code).toBe('D01-S01');

    // The station sees it; the neighbouring station does not.
    const list = await p['s1.li']!.json('GET', '/api/station/tasks');
    expect(list.body.unitRole).toBe('station_officer');
    const task = list.body.tasks.find((t: { caseId: string }) => t.caseId === c.caseId);
    expect(task).toMatchObject({ status: 'assigned', station: { code: 'D01-S01' }, district: { code: 'D01' }, riskLevel: 'medium', deadlineAt: decided.body.deadlineAt, address: '城东区解放路12号3单元501', name: '张某', caseRef: c.caseRef, overdue: false });
    expect(task.summary).toBe('冒充公检法；中风险；预警 1 次；涉及金额 ¥300,000；研判意见：金额大，短信已读未回，需上门');
    expect((await p['s2.wu']!.json('GET', '/api/station/tasks')).body.tasks).toEqual([]);
    expect(await p['s2.wu']!.json('GET', `/api/station/tasks/${task.id}`)).toEqual({ status: 403, body: { error: 'forbidden', message: 'this visit task belongs to 城东派出所' } });
    expect((await p['d1.desk']!.json('GET', '/api/station/tasks')).body.tasks.map((t: { id: string }) => t.id)).toContain(task.id);
    const detail = (await p['s1.li']!.json('GET', `/api/station/tasks/${task.id}`)).body.task;
    expect(detail.phone).toBe(c.phone);
    expect(detail.relatives).toEqual([{ relation: '父亲', name: null, phone: expect.stringMatching(/^\+86135/) }]);
    expect(detail.transcript[0]).toMatchObject({ direction: 'out', channel: 'sms' });
    expect(detail.transcript[0].body).toContain(c.caseRef);

    // Accept, on the way, report: nobody home. The case comes back to a person at once, urgently.
    expect((await p['s1.li']!.json('POST', `/api/station/tasks/${task.id}/accept`)).body.task).toMatchObject({ status: 'accepted', acceptedBy: 's1.li' });
    expect((await p['s1.li']!.json('POST', `/api/station/tasks/${task.id}/on-the-way`)).body.task).toMatchObject({ status: 'on_the_way', onTheWayAt: expect.any(String) });
    expect(await p['s1.li']!.json('POST', `/api/station/tasks/${task.id}/report`, { result: 'not_home' })).toEqual({
      status: 400, body: { error: 'validation_error', message: 'invalid report: note: required: say what happened at the door' },
    });
    const reported = await p['s1.li']!.json('POST', `/api/station/tasks/${task.id}/report`, { result: 'not_home', note: '敲门无人应答，邻居称白天上班' });
    expect(reported.body.task).toMatchObject({ status: 'reported', result: 'not_home', reportedBy: 's1.li' });
    expect(await p['s1.li']!.json('POST', `/api/station/tasks/${task.id}/report`, { result: 'met_dissuaded' })).toEqual({ status: 409, body: { error: 'conflict', message: 'this visit was already reported (not_home)' } });
    const back = await handoffOf(h, c.caseId, 'unreachable');
    expect(back.status).toBe('open');
    const after = await caseRow(c.caseId);
    expect(after.status).toBe('open');
    expect(JSON.parse(after.lifecycle!).timers.map((t: { action: string }) => t.action)).not.toContain('visit_due');
    const timeline = (await p['d1.desk']!.json('GET', `/api/desk/cases/${c.caseId}`)).body.timeline as { action?: string; detail?: any }[];
    const actions = timeline.map((t) => t.action).filter(Boolean);
    expect(actions).toEqual(expect.arrayContaining(['review_decided', 'visit_requested', 'visit_accepted', 'visit_on_the_way', 'visit_reported']));
    expect(timeline.find((t) => t.action === 'visit_reported' && t.detail?.taskId)?.detail).toEqual({ taskId: task.id, result: 'not_home', note: '敲门无人应答，邻居称白天上班', withinDeadline: true });

    // A second visit, met and dissuaded: the case closes as dissuaded.
    expect((await p['d1.desk']!.json('POST', `/api/desk/handoffs/${back.id}/claim`)).status).toBe(200);
    expect((await p['d1.desk']!.json('POST', `/api/desk/handoffs/${back.id}/resolve`, { outcome: 'dissuaded' })).status).toBe(200);
  });

  it('closes a false alarm, and places a call at once for "call again"', async () => {
    const a = await reviewCase();
    expect((await review('d1.sup', a.handoffId, { decision: 'false_alarm', reason: '本人核实：号码为家人所用，非涉诈' })).body.handoff).toMatchObject({ outcome: 'false_alarm' });
    expect(await caseRow(a.caseId)).toMatchObject({ status: 'closed', outcome: 'false_alarm' });

    const b = await reviewCase();
    expect((await review('d1.sup', b.handoffId, { decision: 'call_again', reason: '短信未读，再打一次' })).status).toBe(200);
    const call = await h.net.waitForCall(b.phone, { timeoutMs: 15_000 });
    expect(call.from).toBe(h.stack.env.TWILIO_FROM);
    expect((await caseRow(b.caseId)).status).toBe('open');
    const attempts = await h.store.db.selectFrom('contact_attempts').select(['channel']).where('case_id', '=', b.caseId).orderBy('created_at').execute();
    expect(attempts.map((x) => x.channel)).toEqual(['sms', 'voice']);
  });

  it('escalates a visit past its deadline to the district, and a report of money gone goes to the top of the queue', async () => {
    const c = await reviewCase({ unitCode: 'D01-S01' });
    // The case names its station: the reviewer need not.
    const decided = await review('d1.sup', c.handoffId, { decision: 'visit', reason: '高额，需当面劝阻' });
    expect(decided.body.station).toBe('D01-S01');
    // The deadline passes (the timer made due now, as time would).
    const row = await caseRow(c.caseId);
    const state = JSON.parse(row.lifecycle!);
    const now = new Date().toISOString();
    for (const t of state.timers) if (t.action === 'visit_due') t.at = now;
    await h.store.db.updateTable('visit_tasks').set({ deadline_at: now }).where('case_id', '=', c.caseId).execute();
    await h.store.db.updateTable('cases').set({ lifecycle: JSON.stringify(state), next_action: 'visit_due', next_action_at: now }).where('id', '=', c.caseId).execute();
    const overdue = await eventually(async () => {
      const t = await h.store.db.selectFrom('visit_tasks').selectAll().where('case_id', '=', c.caseId).executeTakeFirst();
      return t?.escalated_at ? t : undefined;
    }, 'the overdue visit to be escalated');
    const handoff = await handoffOf(h, c.caseId, 'unreachable');
    const queue = (await p['d1.sup']!.json('GET', '/api/desk/queue')).body;
    const queued = queue.items.find((i: { id: string }) => i.id === handoff.id);
    // Escalated at once, not after the handoff's SLA: the district's supervisors are alerted now.
    expect(queued).toMatchObject({ priority: 60, note: expect.stringContaining('station visit overdue'), escalatedAt: overdue.escalated_at });
    expect(queue.counts.escalated).toBeGreaterThanOrEqual(1);
    const audit = await h.store.db.selectFrom('audit_events').select('detail').where('case_id', '=', c.caseId).where('action', '=', 'visit_overdue').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ taskId: overdue.id, station: 'D01-S01', district: 'D01', status: 'assigned', handoffId: handoff.id });
    // A desk officer of the district sees it too, flagged; the station's own officers are not its supervisors.
    expect((await p['d1.desk']!.json('GET', '/api/desk/queue')).body.items.find((i: { id: string }) => i.id === handoff.id)).toMatchObject({ escalatedAt: overdue.escalated_at });
    const listed = (await p['s1.li']!.json('GET', '/api/station/tasks')).body.tasks.find((t: { id: string }) => t.id === overdue.id);
    expect(listed).toMatchObject({ overdue: true, escalatedAt: overdue.escalated_at });

    // Late, the station reports the money is already gone: an already-paid handoff, top of the queue.
    const reported = await p['s1.li']!.json('POST', `/api/station/tasks/${overdue.id}/report`, { result: 'already_paid', note: '当事人称昨晚已转账5万元' });
    expect(reported.status).toBe(200);
    const paid = await eventually(async () => (await h.store.db.selectFrom('handoffs').selectAll().where('case_id', '=', c.caseId).where('status', '<>', 'resolved').executeTakeFirst()), 'the active handoff');
    expect(paid).toMatchObject({ reason: 'already_paid', priority: 100 });
    const reportAudit = await h.store.db.selectFrom('audit_events').select('detail').where('case_id', '=', c.caseId).where('action', '=', 'visit_reported').where('actor', '=', 's1.li').executeTakeFirstOrThrow();
    expect(JSON.parse(reportAudit.detail!)).toMatchObject({ result: 'already_paid', withinDeadline: false });
    // The citizen never wrote it: the stop-payment clock runs from the station's report.
    const { reported_at } = await h.store.db.selectFrom('visit_tasks').select('reported_at').where('id', '=', overdue.id).executeTakeFirstOrThrow();
    const clock = (await p['d1.sup']!.json('GET', `/api/desk/cases/${c.caseId}/stop-payments`)).body.clock;
    expect(clock).toMatchObject({ firstMentionedAt: reported_at, windowMinutes: 30, deadlineAt: new Date(Date.parse(reported_at!) + 30 * 60_000).toISOString() });
    expect((await p['d1.sup']!.json('GET', `/api/desk/cases/${c.caseId}`)).body.stopPaymentClock).toMatchObject({ firstMentionedAt: reported_at });
  });

  it('reopens a case closed while the station was on its way when the door says the money is gone; a newer open case hears it instead', async () => {
    /** A visit sent to D01-S01, then the case closed meanwhile (as the script would on "I know it is a scam"). */
    async function visitedThenClosed() {
      const c = await reviewCase({ unitCode: 'D01-S01' });
      expect((await review('d1.sup', c.handoffId, { decision: 'visit', reason: '高额，需当面劝阻' })).status).toBe(200);
      const task = await h.store.db.selectFrom('visit_tasks').select('id').where('case_id', '=', c.caseId).executeTakeFirstOrThrow();
      const row = await caseRow(c.caseId);
      const state = { ...JSON.parse(row.lifecycle!), phase: 'closed', outcome: 'safe_aware', timers: [] };
      await h.store.db.updateTable('cases').set({ status: 'closed', outcome: 'safe_aware', closed_at: new Date().toISOString(), lifecycle: JSON.stringify(state), next_action: null, next_action_at: null }).where('id', '=', c.caseId).execute();
      return { ...c, taskId: task.id };
    }
    const active = (caseId: string) => h.store.db.selectFrom('handoffs').selectAll().where('case_id', '=', caseId).where('status', '<>', 'resolved').executeTakeFirst();

    const a = await visitedThenClosed();
    expect((await p['s1.li']!.json('POST', `/api/station/tasks/${a.taskId}/report`, { result: 'already_paid', note: '当事人称昨晚又转了2万元' })).status).toBe(200);
    expect(await caseRow(a.caseId)).toMatchObject({ status: 'open', outcome: null, closed_at: null });
    expect(await active(a.caseId)).toMatchObject({ reason: 'already_paid', priority: 100, status: 'open' });
    expect(await h.store.db.selectFrom('audit_events').select('actor').where('case_id', '=', a.caseId).where('action', '=', 'case_reopened').execute()).toHaveLength(1);

    // The person was warned again after the close: their open case takes the report, the old one stays closed.
    const b = await visitedThenClosed();
    const again = await h.stack.api('POST', '/api/warnings', 'intake', { source: 'province-centre', externalId: `W-again-${b.caseId}`, phone: b.phone, scamType: 'impersonation_police', riskLevel: 'medium', locale: 'zh', unitCode: 'D01' });
    expect(again.status).toBe(202);
    expect(again.body.caseId).not.toBe(b.caseId);
    expect((await p['s1.li']!.json('POST', `/api/station/tasks/${b.taskId}/report`, { result: 'already_paid', note: '已转账' })).status).toBe(200);
    expect((await caseRow(b.caseId)).status).toBe('closed');
    await eventually(async () => (await active(again.body.caseId))?.reason === 'already_paid', 'the already_paid handoff on the open case');
    const audit = await h.store.db.selectFrom('audit_events').select('detail').where('case_id', '=', again.body.caseId).where('action', '=', 'visit_reported').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ taskId: b.taskId, result: 'already_paid', taskCaseId: b.caseId });
  });

  it('lets the officer holding the case write to and call a relative, on the record', async () => {
    const relative = nextPhone();
    const c = await reviewCase({ relatives: [{ phone: relative, relation: '女儿', name: '张小红' }] });
    const body = '您好，这里是市反诈中心，请尽快联系您的父亲，提醒他不要向陌生人转账。中心电话96110。';
    expect((await p['d1.sup']!.json('POST', `/api/desk/cases/${c.caseId}/relatives/0/messages`, { body })).status).toBe(403);
    expect((await p['d1.desk']!.json('POST', `/api/desk/handoffs/${c.handoffId}/claim`)).status).toBe(200);
    expect(await p['d1.desk']!.json('POST', `/api/desk/cases/${c.caseId}/relatives/3/messages`, { body })).toEqual({ status: 404, body: { error: 'not_found', message: 'the case has 1 relative(s): no relative 3' } });
    // The console sends an Idempotency-Key and retries with it: the relative gets the message once.
    const idem = { headers: { 'Idempotency-Key': `rel-${c.caseId}` } };
    const first = await p['d1.desk']!.request('POST', `/api/desk/cases/${c.caseId}/relatives/0/messages`, { body }, idem);
    const sent = { status: first.status, body: await first.json() };
    expect(sent).toMatchObject({ status: 202, body: { message: { channel: 'sms', author: 'd1.desk', delivery: 'pending' } } });
    const retried = await p['d1.desk']!.request('POST', `/api/desk/cases/${c.caseId}/relatives/0/messages`, { body }, idem);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(await retried.json()).toEqual(sent.body);
    const reused = await p['d1.desk']!.request('POST', `/api/desk/cases/${c.caseId}/relatives/0/messages`, { body: `${body}！` }, idem);
    expect(reused.status).toBe(422);
    const got = await h.net.waitForSms(relative, { timeoutMs: 10_000 });
    expect(got).toMatchObject({ to: relative, from: h.stack.env.TWILIO_FROM, body });
    // The same outbox as every message: one row, sent once, to the relative's number.
    const outboxRows = () => h.store.db.selectFrom('outbox').select(['purpose', 'target', 'status']).where('case_id', '=', c.caseId).where('purpose', '=', 'relative').execute();
    await eventually(async () => (await outboxRows())[0]?.status === 'sent', 'the relative message marked sent in the outbox');
    expect(await outboxRows()).toEqual([{ purpose: 'relative', target: relative, status: 'sent' }]);
    const view = (await p['d1.desk']!.json('GET', `/api/desk/cases/${c.caseId}`)).body;
    expect(view.timeline.find((t: { kind: string; body?: string }) => t.kind === 'message' && t.body === body)).toMatchObject({ direction: 'out', author: 'd1.desk', toRelative: true });
    expect(view.timeline.find((t: { action?: string }) => t.action === 'relative_message').detail).toMatchObject({ relative: 0, relation: '女儿', length: body.length });
    // Her answer lands on the person's case.
    await h.net.sendSms(relative, '好的，我马上给他打电话');
    await eventually(async () => (await h.store.db.selectFrom('messages').select('author').where('case_id', '=', c.caseId).where('direction', '=', 'in').where('author', '=', 'relative').executeTakeFirst()), 'the relative reply on the case');

    // The call: the officer's phone rings first, then the relative is connected.
    expect(await p['d1.desk']!.json('POST', `/api/desk/cases/${c.caseId}/relatives/0/call`)).toEqual({
      status: 400, body: { error: 'validation_error', message: 'no phone to ring for you: add yours with `npm run user:add -- --username <you> --phone +86… --update`, or set TWILIO_DESK_NUMBER' },
    });
    await h.store.db.updateTable('users').set({ phone: '+8613911115555' }).where('username', '=', 'd1.desk').execute();
    await p['d1.desk']!.login('d1.desk');
    await h.net.setBehaviour('+8613911115555', { call: 'answer' });
    const callIdem = { headers: { 'Idempotency-Key': `rel-call-${c.caseId}` } };
    const placed = await p['d1.desk']!.request('POST', `/api/desk/cases/${c.caseId}/relatives/0/call`, undefined, callIdem);
    const call = { status: placed.status, body: await placed.json() };
    expect(call.status).toBe(202);
    // A retry of the same press rings nobody a second time.
    const recalled = await p['d1.desk']!.request('POST', `/api/desk/cases/${c.caseId}/relatives/0/call`, undefined, callIdem);
    expect(await recalled.json()).toEqual(call.body);
    expect(await h.store.db.selectFrom('audit_events').select('id').where('case_id', '=', c.caseId).where('action', '=', 'relative_call').execute()).toHaveLength(1);
    const ended = await eventually(async () => {
      const rec = await h.net.call(call.body.callSid);
      return rec.dialed.length ? rec : undefined;
    }, 'the officer call to dial the relative');
    expect(ended.dialed[0]!.number).toBe(relative);
    expect(ended.to).toBe('+8613911115555');
  });

  it('reports per unit: a district with its stations, visits by their deadline, times to contact and to a human', async () => {
    expect((await p['d1.desk']!.json('GET', '/api/org/reports')).status).toBe(403);
    const r = await p['d1.sup']!.json('GET', '/api/org/reports');
    expect(r.status).toBe(200);
    expect(r.body.units.map((u: { unit: { code: string; depth: number } }) => [u.unit.code, u.unit.depth])).toEqual([['D01', 0], ['D01-S01', 1], ['D01-S02', 1]]);
    const byCode = Object.fromEntries(r.body.units.map((u: { unit: { code: string }; row: unknown }) => [u.unit.code, u.row]));
    // The first case's visit and the two reported after their cases closed came in time; the overdue one after its deadline.
    expect(byCode['D01-S01'].visitDeadlines).toEqual({ tasks: 4, reported: 4, inTime: 3, due: 4, inTimeRate: 0.75 });
    expect(byCode['D01-S02'].visitDeadlines).toEqual({ tasks: 0, reported: 0, inTime: 0, due: 0, inTimeRate: null });
    // The district holds its stations' cases too.
    expect(byCode.D01.people).toBeGreaterThanOrEqual(byCode['D01-S01'].people + byCode['D01-S02'].people);
    expect(byCode.D01.visitDeadlines.tasks).toBe(4);
    expect(byCode.D01.firstContact.n).toBe(byCode.D01.people);
    expect(byCode.D01.firstContact.median).toEqual(expect.any(Number));
    expect(byCode.D01.humanPickup.n).toBeGreaterThan(0);
    // The managers' report groups by unit code as well, and its CSV carries the new columns.
    const csv = await h.stack.api('GET', '/api/reports.csv?groupBy=unit', 'manager');
    const [head, ...lines] = String(csv.body).replace(/^\uFEFF/, '').trim().split('\r\n');
    const cols = head!.split(',');
    expect(cols).toEqual(expect.arrayContaining(['visit_tasks', 'visits_due', 'visits_in_time', 'visits_in_time_rate', 'stop_payment_requests', 'stop_payments_within_window']));
    const s1 = lines.find((l) => l.startsWith('D01-S01,'))!.split(',');
    expect([s1[cols.indexOf('visit_tasks')], s1[cols.indexOf('visits_in_time')], s1[cols.indexOf('visits_in_time_rate')]]).toEqual(['4', '3', '0.75']);
  });
});
