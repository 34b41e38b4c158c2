// Script trials on the real app, on both engines: new cases drawn at random onto two published versions
// and pinned there (their next conversation too, whatever is published meanwhile), the stop rule closing
// the trial; the report's intervals and test on known arms; stopping publishes a clear winner or keeps
// the current version; bad requests answered with the reason.
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';
import { fileWarning, managerFetch, startHarness, type Harness } from './manager-harness';
import { publishMarkedVersion, seedArm } from './trial-seed';

describe.each(ENGINES)('script trials on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make());
  });
  afterAll(async () => {
    await h.close();
  });
  const api = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const res = await managerFetch(h, path, init);
    return { status: res.status, body: (await res.json()) as any };
  };
  const start = (body: unknown) => api('/api/trials', { method: 'POST', body });
  const head = async (flowId: string) => (await api('/api/flows')).body.flows.find((f: { id: string }) => f.id === flowId).publishedVersion;

  it('assigns new cases at random, pins them to their version, and closes at its stop rule', async () => {
    expect(await publishMarkedVersion(h, 'fallback', '【V2】')).toBe(2);
    const t = await start({ flowId: 'fallback', versionA: 1, versionB: 2, splitB: 0.5, stopRule: { people: 10 } });
    expect(t.status).toBe(201);
    expect(t.body.trial).toMatchObject({ flowId: 'fallback', versionA: 1, versionB: 2, splitB: 0.5, alpha: 0.05, status: 'running', stopRule: { people: 10 }, assigned: { A: 0, B: 0 } });
    expect(t.body.verdict).toEqual({ kind: 'collecting', assigned: 0, people: 10 });
    const trialId = t.body.trial.id as string;

    // Ten high-risk people (a review handoff keeps their case open after the script ends).
    const phones = Array.from({ length: 10 }, (_, i) => `+86138001383${String(i).padStart(2, '0')}`);
    const cases: string[] = [];
    for (const [i, phone] of phones.entries()) cases.push(await fileWarning(h, { externalId: `W-TRIAL-${i}`, phone, locale: 'zh', scamType: 'other', riskLevel: 'high' }));
    const first = await Promise.all(phones.map((p) => h.stack.network.control.waitForSms(p, { timeoutMs: 20000 })));
    const assignments = await h.store.db.selectFrom('trial_assignments').selectAll().where('trial_id', '=', trialId).execute();
    expect(assignments.map((a) => a.case_id).sort()).toEqual([...cases].sort());
    for (const [i, caseId] of cases.entries()) {
      const a = assignments.find((x) => x.case_id === caseId)!;
      expect(a.flow_version).toBe(a.arm === 'A' ? 1 : 2);
      const c = await h.store.db.selectFrom('cases').select(['flow_id', 'flow_version']).where('id', '=', caseId).executeTakeFirstOrThrow();
      expect(c).toEqual({ flow_id: 'fallback', flow_version: a.flow_version });
      // What the citizen read is the version they were drawn onto.
      expect(first[i]!.body.includes('【V2】')).toBe(a.arm === 'B');
    }

    // A person warned of another scam type speaks that type's script, outside the trial.
    const loanCase = await fileWarning(h, { externalId: 'W-TRIAL-loan', phone: '+8613800138398', locale: 'zh', scamType: 'loan', riskLevel: 'medium' });
    const loanSms = await h.stack.network.control.waitForSms('+8613800138398', { timeoutMs: 20000 });
    expect(loanSms.body).toContain('网络贷款诈骗');
    expect(await h.store.db.selectFrom('cases').select(['flow_id', 'flow_version']).where('id', '=', loanCase).executeTakeFirstOrThrow()).toEqual({ flow_id: 'loan', flow_version: 1 });
    expect(await h.store.db.selectFrom('trial_assignments').select('case_id').where('case_id', '=', loanCase).executeTakeFirst()).toBeUndefined();

    // The eleventh person finds the trial full: the trial closes and they get the published version.
    const late = await fileWarning(h, { externalId: 'W-TRIAL-late', phone: '+8613800138399', locale: 'zh', scamType: 'other', riskLevel: 'medium' });
    const lateSms = await h.stack.network.control.waitForSms('+8613800138399', { timeoutMs: 20000 });
    expect(lateSms.body).toContain('【V2】');
    expect(await h.store.db.selectFrom('trial_assignments').select('case_id').where('case_id', '=', late).executeTakeFirst()).toBeUndefined();
    const closed = await api(`/api/trials/${trialId}`);
    expect(closed.body.trial.status).toBe('closed');
    expect(closed.body.trial.assigned.A + closed.body.trial.assigned.B).toBe(10);
    expect(closed.body.arms.A.people + closed.body.arms.B.people).toBe(10);

    // Pinned: a new version is published, and a trial case's next conversation still speaks its own.
    expect(await publishMarkedVersion(h, 'fallback', '【V3】')).toBe(3);
    const phone = phones[0]!;
    const pinned = assignments.find((a) => a.case_id === cases[0])!;
    await h.stack.network.control.sendSms(phone, '没有，我没转过钱');
    await h.stack.network.control.waitForSms(phone, { timeoutMs: 15000, contains: '现在还有人让您转账' });
    await h.stack.network.control.sendSms(phone, '没有人让我转账，我不会转的');
    await eventually(async () => {
      const c = await h.store.db.selectFrom('cases').select(['conversation', 'status']).where('id', '=', cases[0]!).executeTakeFirstOrThrow();
      return c.status === 'open' && JSON.parse(c.conversation!).ended === true;
    }, 'the script to end while the review keeps the case open');
    await h.stack.network.control.sendSms(phone, '你好，我还想再问一下');
    const again = await h.stack.network.control.waitForSms(phone, { timeoutMs: 15000, contains: '系统提示' });
    expect(again.body.includes('【V2】')).toBe(pinned.arm === 'B');
    expect(again.body).not.toContain('【V3】');
    const c = await h.store.db.selectFrom('cases').select('flow_version').where('id', '=', cases[0]!).executeTakeFirstOrThrow();
    expect(c.flow_version).toBe(pinned.flow_version);
  });

  it('reports each arm with Wilson intervals and B − A with the two-proportion test; stopping publishes the clear winner', async () => {
    const v2 = await publishMarkedVersion(h, 'loan', '【V2】');
    const t = await start({ flowId: 'loan', versionA: 1, versionB: v2, stopRule: { people: 80 }, note: 'shorter greeting' });
    const trialId = t.body.trial.id as string;
    // The version published when the trial stops is v1 again (say a manager rolled back meanwhile).
    expect((await api('/api/flows/loan/rollback', { method: 'POST', body: { version: 1 } })).status).toBe(200);
    await seedArm(h.store, { trialId, flowId: 'loan', arm: 'A', version: 1, scamType: 'loan' }, { people: 40, dissuaded: 20, atRisk: 6, victims: 4 });
    await seedArm(h.store, { trialId, flowId: 'loan', arm: 'B', version: v2, scamType: 'loan' }, { people: 40, dissuaded: 32, atRisk: 5, victims: 2 });

    const r = await api(`/api/trials/${trialId}`);
    expect(r.status).toBe(200);
    expect(r.body.arms.A).toMatchObject({ version: 1, people: 40, dissuaded: { successes: 20, n: 40, rate: 0.5 }, atRiskHandoff: { successes: 6, n: 40 }, victimised: { successes: 4, n: 40 } });
    expect(r.body.arms.A.dissuaded.low).toBeCloseTo(0.352, 3);
    expect(r.body.arms.A.dissuaded.high).toBeCloseTo(0.648, 3);
    expect(r.body.arms.B.dissuaded.low).toBeCloseTo(0.6524, 4);
    expect(r.body.arms.B.dissuaded.high).toBeCloseTo(0.895, 3);
    expect(r.body.comparison.dissuaded.difference).toBeCloseTo(0.3, 10);
    expect(r.body.comparison.dissuaded.z).toBeCloseTo(2.8128, 4);
    expect(r.body.comparison.dissuaded.p).toBeCloseTo(0.00491, 5);
    expect(r.body.comparison.victimised.p).toBeCloseTo(0.3959, 3);
    expect(r.body.verdict).toEqual({ kind: 'winner', arm: 'B', version: v2, difference: expect.any(Number), p: expect.any(Number) });

    const stopped = await api(`/api/trials/${trialId}/stop`, { method: 'POST', body: { decision: 'publish_winner' } });
    expect(stopped.status).toBe(200);
    expect(stopped.body.trial).toMatchObject({ status: 'stopped', decision: 'published_b', publishedVersion: v2, stoppedBy: 'key:manager' });
    expect(await head('loan')).toBe(v2);
    const published = await h.store.db.selectFrom('audit_events').select('detail').where('action', '=', 'flow_published').execute();
    expect(published.map((e) => JSON.parse(e.detail!)).filter((d) => d.trialId === trialId)).toEqual([{ flowId: 'loan', version: v2, previous: 1, trialId }]);
    const again = await api(`/api/trials/${trialId}/stop`, { method: 'POST', body: { decision: 'keep_current' } });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe(`trial ${trialId} was already stopped (published_b)`);
  });

  it('calls no winner before the stop rule, when the difference is not significant, or when the better script has more victims', async () => {
    const v2 = await publishMarkedVersion(h, 'investment', '【V2】');
    const t = await start({ flowId: 'investment', versionA: 1, versionB: v2, splitB: 0.5, stopRule: { people: 100, endsAt: '2099-01-01T00:00:00Z' } });
    const trialId = t.body.trial.id as string;
    await seedArm(h.store, { trialId, flowId: 'investment', arm: 'A', version: 1, scamType: 'investment' }, { people: 40, dissuaded: 20, atRisk: 0, victims: 0 });
    await seedArm(h.store, { trialId, flowId: 'investment', arm: 'B', version: v2, scamType: 'investment' }, { people: 40, dissuaded: 24, atRisk: 0, victims: 0 });
    const interim = await api(`/api/trials/${trialId}`);
    expect(interim.body.verdict).toEqual({ kind: 'collecting', assigned: 80, people: 100, endsAt: '2099-01-01T00:00:00Z' });
    const early = await api(`/api/trials/${trialId}/stop`, { method: 'POST', body: { decision: 'publish_winner' } });
    expect(early.status).toBe(409);
    expect(early.body.message).toBe('cannot publish a winner: the trial has not reached its stop rule yet; keep the current version instead');
    await seedArm(h.store, { trialId, flowId: 'investment', arm: 'A', version: 1, scamType: 'investment' }, { people: 10, dissuaded: 5, atRisk: 0, victims: 0 });
    await seedArm(h.store, { trialId, flowId: 'investment', arm: 'B', version: v2, scamType: 'investment' }, { people: 10, dissuaded: 6, atRisk: 0, victims: 0 });
    const full = await api(`/api/trials/${trialId}`);
    expect(full.body.verdict).toMatchObject({ kind: 'no_clear_winner', reason: 'not_significant' });
    expect(full.body.verdict.p).toBeCloseTo(0.3149, 4);
    const refused = await api(`/api/trials/${trialId}/stop`, { method: 'POST', body: { decision: 'publish_winner' } });
    expect(refused.body.message).toBe('cannot publish a winner: no winner is clear (not significant); keep the current version instead');
    const kept = await api(`/api/trials/${trialId}/stop`, { method: 'POST', body: { decision: 'keep_current' } });
    expect(kept.body.trial).toMatchObject({ status: 'stopped', decision: 'kept_current', publishedVersion: null });
    expect(await head('investment')).toBe(v2);

    const v2t = await publishMarkedVersion(h, 'task_rebate', '【V2】');
    const harm = await start({ flowId: 'task_rebate', versionA: 1, versionB: v2t, stopRule: { people: 80 } });
    await seedArm(h.store, { trialId: harm.body.trial.id, flowId: 'task_rebate', arm: 'A', version: 1, scamType: 'task_rebate' }, { people: 40, dissuaded: 20, atRisk: 0, victims: 0 });
    await seedArm(h.store, { trialId: harm.body.trial.id, flowId: 'task_rebate', arm: 'B', version: v2t, scamType: 'task_rebate' }, { people: 40, dissuaded: 32, atRisk: 0, victims: 8 });
    const r = await api(`/api/trials/${harm.body.trial.id}`);
    expect(r.body.comparison.victimised.p).toBeCloseTo(0.00287, 4);
    expect(r.body.verdict).toMatchObject({ kind: 'no_clear_winner', reason: 'harm_on_victimisation' });
  });

  it('refuses trials that cannot run, naming why', async () => {
    const same = await start({ flowId: 'sextortion', versionA: 1, versionB: 1, stopRule: { people: 100 } });
    expect(same.status).toBe(400);
    expect(same.body.message).toBe('invalid trial: versionB: must differ from versionA');
    const noRule = await start({ flowId: 'sextortion', versionA: 1, versionB: 2, stopRule: {} });
    expect(noRule.body.message).toBe('invalid trial: stopRule: give people (a sample size) or endsAt (a time), or both');
    const split = await start({ flowId: 'sextortion', versionA: 1, versionB: 2, splitB: 1, stopRule: { people: 100 } });
    expect(split.body.message).toBe('invalid trial: splitB: at most 0.95');
    const missing = await start({ flowId: 'sextortion', versionA: 1, versionB: 7, stopRule: { people: 100 } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('flow sextortion has no version 7');
    const draft = await managerFetch(h, '/api/flows/sextortion/draft', { method: 'PUT', body: { yaml: (await api('/api/flows/sextortion')).body.flow.yaml } });
    expect(draft.status).toBe(200);
    const onDraft = await start({ flowId: 'sextortion', versionA: 1, versionB: 2, stopRule: { people: 100 } });
    expect(onDraft.status).toBe(409);
    expect(onDraft.body.message).toBe('v2 of sextortion is the draft: publish it before trying it on citizens');
    const v2 = await publishMarkedVersion(h, 'gaming_trade', '【V2】');
    expect((await start({ flowId: 'gaming_trade', versionA: 1, versionB: v2, stopRule: { people: 100 } })).status).toBe(201);
    const twice = await start({ flowId: 'gaming_trade', versionA: v2, versionB: 1, stopRule: { people: 100 } });
    expect(twice.status).toBe(409);
    expect(twice.body.message).toBe('a trial of gaming_trade is already running: stop it first');
    const desk = await managerFetch(h, '/api/trials', { as: 'desk' });
    expect(desk.status).toBe(403);
    const list = await api('/api/trials?flowId=gaming_trade');
    expect(list.body.trials).toHaveLength(1);
    expect(list.body.trials[0]).toMatchObject({ flowId: 'gaming_trade', status: 'running', assigned: { A: 0, B: 0 } });
    expect((await api('/api/trials/not-a-trial')).body.message).toBe('invalid trial id: id: must be a trial id');
  });

  it('draws every warning of one batch on a flow under trial, beside warnings on flows without one', async () => {
    // The gaming_trade trial of the test above is running; loan has none. One request: one shared transaction.
    const warnings = Array.from({ length: 6 }, (_, i) => ({ source: 'province-centre', externalId: `W-BATCH-TRIAL-${i}`, phone: `+86138001384${String(i).padStart(2, '0')}`, locale: 'zh', scamType: i % 2 === 0 ? 'loan' : 'gaming_trade', riskLevel: 'medium' }));
    const res = await managerFetch(h, '/api/warnings', { method: 'POST', as: 'intake', body: { warnings } });
    expect(res.status).toBe(202);
    const results = ((await res.json()) as { results: { status: string; caseId: string }[] }).results;
    expect(results.map((r) => r.status)).toEqual(Array(6).fill('accepted'));
    const trial = (await api('/api/trials?flowId=gaming_trade')).body.trials[0];
    const assigned = await h.store.db.selectFrom('trial_assignments').select(['case_id', 'trial_id']).where('case_id', 'in', results.map((r) => r.caseId)).execute();
    expect(assigned.map((a) => a.case_id).sort()).toEqual(results.filter((_, i) => i % 2 === 1).map((r) => r.caseId).sort());
    expect(new Set(assigned.map((a) => a.trial_id))).toEqual(new Set([trial.id]));
  });
});
