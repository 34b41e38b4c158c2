// The managers' flow editor API on both engines: seed, check, draft, refuse, publish, pin, roll back,
// export, try it, audit; real cases before and after a publication; and a second process picking it up.
// The flow edited is the shared script (scam_base): the fallback flow extends it, so the cases below
// (scam type "other") speak it, pinned to the base version their conversation began on.
import fs from 'node:fs';
import { FlowRegistry } from '../../server/cases/flow-registry';
import { ENGINES } from '../support/databases';
import { eventually } from '../support/stack';
import { fileWarning, managerFetch, startHarness, type Harness } from './manager-harness';

const shipped = fs.readFileSync('flows/scam_base.yaml', 'utf8');
const OLD_GREET_EN = 'First question: have you transferred any money to them?"';
const NEW_GREET_EN = 'First question: have you sent any money to them?"';
// The greeting's spoken and written wordings both change.
const edited = shipped.replaceAll(OLD_GREET_EN, NEW_GREET_EN);
const brokenTarget = shipped.replace('safe_aware: explain_tell\n\n  explain_tell', 'safe_aware: explain_tel\n\n  explain_tell');
const failsItsTests = shipped.replace('请立刻停止转账，也不要再和对方联系。', '请不要再和对方联系。');

const OLD_CITIZEN = '+8613800138201';
const NEW_CITIZEN = '+8613800138202';

describe.each(ENGINES)('flow editor API on %s', (_name, make) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(make());
  });
  afterAll(async () => {
    await h.close();
  });
  const api = async (p: string, init: Parameters<typeof managerFetch>[2] = {}) => {
    const res = await managerFetch(h, p, init);
    const type = res.headers.get('content-type') ?? '';
    return { status: res.status, body: type.includes('json') ? await res.json() : await res.text(), headers: res.headers };
  };
  const published = async (flowId: string) => (await api('/api/flows')).body.flows.find((f: { id: string }) => f.id === flowId).publishedVersion;
  const caseRow = (id: string) => h.store.db.selectFrom('cases').select(['flow_id', 'flow_version', 'conversation']).where('id', '=', id).executeTakeFirstOrThrow();

  it('seeds every shipped flow as published version 1, once', async () => {
    const r = await api('/api/flows');
    expect(r.status).toBe(200);
    const ids = (r.body.flows as { id: string }[]).map((f) => f.id);
    expect(ids).toEqual(expect.arrayContaining(['fallback', 'impersonation_police', 'relative', 'return_contact']));
    expect(r.body.flows.find((f: { id: string }) => f.id === 'fallback')).toMatchObject({ publishedVersion: 1, draftVersion: null, versions: 1 });
    await FlowRegistry.fromStore(h.store.db);
    const again = await api('/api/flows');
    expect(again.body.flows.find((f: { id: string }) => f.id === 'fallback').versions).toBe(1);
  });

  it('refuses a caller without the manager role', async () => {
    const r = await api('/api/flows', { as: 'desk' });
    expect(r.status).toBe(403);
    expect(r.body).toEqual({ error: 'forbidden', message: 'role desk may not do this; needs manager' });
  });

  it('checks a draft like flows:check, naming the state and the fix', async () => {
    const r = await api('/api/flows/check', { method: 'POST', body: { yaml: brokenTarget, flowId: 'scam_base' } });
    expect(r.status).toBe(200);
    expect(r.body.ok).toBe(false);
    expect(r.body.issues).toEqual([
      expect.objectContaining({
        severity: 'error',
        state: 'greet',
        line: brokenTarget.split('\n').indexOf('      safe_aware: explain_tel') + 1,
        rule: 'unknown_target',
        message: "greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist",
        fix: expect.stringContaining("(did you mean 'explain_tell'?)"),
      }),
    ]);
    const greet = r.body.graph.nodes.find((n: { id: string }) => n.id === 'greet');
    expect(greet).toMatchObject({ kind: 'start', layer: 0, errors: 1 });
    expect(r.body.graph.missing).toEqual(['explain_tel']);
  });

  it('shows what a flow takes from its base and what it changes, on the whole graph conversations run', async () => {
    const own = await api('/api/flows/return_contact');
    expect(own.status).toBe(200);
    const g = own.body.graph;
    // Drawn resolved: the base's states are there although return_contact's text names only greet.
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual(expect.arrayContaining(['greet', 'explain_tell', 'paid_done']));
    expect(g.nodes.find((n: { id: string }) => n.id === 'greet')).toMatchObject({ kind: 'start', origin: 'overridden' });
    expect(g.nodes.find((n: { id: string }) => n.id === 'explain_tell')).toMatchObject({ origin: 'inherited' });
    expect(g.inheritance).toMatchObject({ base: 'scam_base', baseVersion: 1, overridden: [{ state: 'greet', keys: ['say'], triggers: [] }], added: [], removed: [] });
    expect(g.inheritance.inherited).toBe(g.nodes.length - 1);

    // A draft that changes a state and adds one it forgot to link: the check's graph says so at once, drawn
    // whole although the checker refuses the draft.
    const draft = fs
      .readFileSync('flows/pig_butchering.yaml', 'utf8')
      .concat('\nstates:\n  explain_tell:\n    say:\n      zh: "换一种说法。"\n      en: "Said another way."\n  extra_note:\n    say:\n      zh: "补充说明。"\n      en: "A note."\n    default: explain_tell\n');
    const checked = await api('/api/flows/check', { method: 'POST', body: { yaml: draft, flowId: 'pig_butchering' } });
    expect(checked.status).toBe(200);
    expect(checked.body.issues).toEqual([expect.objectContaining({ rule: 'unreachable_state', state: 'extra_note' })]);
    expect(checked.body.graph.inheritance).toMatchObject({ base: 'scam_base', phrases: expect.arrayContaining(['scam', 'tell', 'stop_tell']), added: ['extra_note'] });
    expect(checked.body.graph.inheritance.overridden).toEqual([expect.objectContaining({ state: 'explain_tell', keys: ['say'] })]);
    expect(checked.body.graph.nodes.find((n: { id: string }) => n.id === 'extra_note')).toMatchObject({ origin: 'added' });

    // The base itself extends nothing: no origins, no inheritance.
    const base = await api('/api/flows/scam_base');
    expect(base.body.graph.inheritance).toBeUndefined();
    expect(base.body.graph.nodes.every((n: { origin?: string }) => n.origin === undefined)).toBe(true);
  });

  it('refuses a draft that renames the flow', async () => {
    const r = await api('/api/flows/check', { method: 'POST', body: { yaml: shipped.replace('id: scam_base', 'id: scam_base2'), flowId: 'scam_base' } });
    expect(r.body.issues[0]).toMatchObject({ rule: 'flow_id_changed', message: "this draft says id: scam_base2, but it is the draft of flow 'scam_base'" });
  });

  it('saves a draft with errors but refuses to publish it, with the reasons', async () => {
    const saved = await api('/api/flows/scam_base/draft', { method: 'PUT', body: { yaml: brokenTarget } });
    expect(saved.status).toBe(200);
    expect(saved.body.version).toBe(2);
    expect(saved.body.yaml).toContain('\nversion: 2\n');
    const r = await api('/api/flows/scam_base/publish', { method: 'POST' });
    expect(r.status).toBe(409);
    expect(r.body.error).toBe('publish_refused');
    expect(r.body.message).toBe('scam_base v2 was not published: the checker found 1 error(s)');
    expect(r.body.details.issues[0].message).toBe("greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
    expect(await published('scam_base')).toBe(1);
  });

  it("refuses to publish while the flow's own tests fail", async () => {
    await api('/api/flows/scam_base/draft', { method: 'PUT', body: { yaml: failsItsTests } });
    const r = await api('/api/flows/scam_base/publish', { method: 'POST' });
    expect(r.status).toBe(409);
    // The base's own tests fail, and so do those of every flow that inherits the changed text.
    const extending = ['fake_customer_service', 'fallback', 'gaming_trade', 'impersonation_police', 'investment', 'loan', 'pig_butchering', 'relative_in_trouble', 'return_contact', 'sextortion', 'task_rebate'];
    expect(r.body.message).toBe(
      `scam_base v2 was not published: 1 test conversation(s) in flows/tests/scam_base.yaml failed${extending.map((id) => ` and ${id}, which extends it, would break (1 test conversation(s) failed)`).join('')}`,
    );
    expect(r.body.details.tests.failures).toEqual([
      {
        file: 'flows/tests/scam_base.yaml',
        conversation: 'still in the scam hands off and tells them to stop paying',
        turn: 2,
        message: 'expected the prompts to contain "停止转账", got "请不要再和对方联系。任何让您转账的陌生人都可能是骗子。民警马上会用0755-96110联系您。"',
      },
    ]);
  });

  it('diffs the draft against the published version line by line', async () => {
    await api('/api/flows/scam_base/draft', { method: 'PUT', body: { yaml: edited } });
    const r = await api('/api/flows/scam_base/diff');
    expect(r.body).toMatchObject({ from: 1, to: 2, added: 3, removed: 3 });
    const changed = r.body.lines.filter((l: { op: string }) => l.op !== ' ').map((l: { op: string; text: string }) => `${l.op}${l.text.trim().slice(0, 30)}`);
    expect(changed).toEqual(['-version: 1', '+version: 2', '-en: "Hello {name}, this is {ce', '+en: "Hello {name}, this is {ce', '-en: "Hello {name}, this is {ce', '+en: "Hello {name}, this is {ce']);
  });

  it('publishes the base: new conversations of the flows extending it start on v2, conversations in progress stay on v1', async () => {
    const warning = { locale: 'en' as const, scamType: 'other', riskLevel: 'medium' as const, name: 'Alex Chen' };
    const inProgress = await fileWarning(h, { ...warning, externalId: `W-PIN-${h.stack.prefix}`, phone: OLD_CITIZEN });
    const oldGreet = await h.stack.network.control.waitForSms(OLD_CITIZEN, { contains: 'First question', timeoutMs: 15000 });
    expect(oldGreet.body).toContain('First question: have you transferred any money to them?');
    expect(await caseRow(inProgress)).toMatchObject({ flow_id: 'fallback', flow_version: 1 });

    const r = await api('/api/flows/scam_base/publish', { method: 'POST' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ flowId: 'scam_base', version: 2, previous: 1 });
    expect(await published('scam_base')).toBe(2);
    expect(await published('fallback')).toBe(1);

    const fresh = await fileWarning(h, { ...warning, externalId: `W-NEW-${h.stack.prefix}`, phone: NEW_CITIZEN });
    const newGreet = await h.stack.network.control.waitForSms(NEW_CITIZEN, { contains: 'First question', timeoutMs: 15000 });
    expect(newGreet.body).toContain('First question: have you sent any money to them?');
    const freshRow = await caseRow(fresh);
    expect(freshRow).toMatchObject({ flow_id: 'fallback', flow_version: 1 });
    expect(typeof freshRow.conversation === 'string' ? JSON.parse(freshRow.conversation) : freshRow.conversation).toMatchObject({ flowVersion: 1, baseVersion: 2 });

    // The citizen who began on v1 answers after the publication: the conversation goes on, still on v1.
    await h.stack.network.control.sendSms(OLD_CITIZEN, 'No, I have not paid them anything');
    const pinned = await eventually(async () => {
      const c = await caseRow(inProgress);
      const conv = typeof c.conversation === 'string' ? JSON.parse(c.conversation) : c.conversation;
      return conv?.stateId !== 'greet' && { ...c, conversation: conv };
    }, 'the reply to move the pinned conversation on');
    expect(pinned).toMatchObject({ flow_id: 'fallback', flow_version: 1, conversation: { flowVersion: 1, baseVersion: 1, stateId: 'explain_tell' } });
  });

  it('reaches another process (a worker) through the database', async () => {
    const worker = await FlowRegistry.fromStore(h.store.db);
    expect(worker.current('scam_base')!.version).toBe(2);
    expect(worker.current('fallback')!.base).toEqual({ id: 'scam_base', version: 2 });
    await api('/api/flows/scam_base/rollback', { method: 'POST', body: { version: 1 } });
    expect(worker.current('scam_base')!.version).toBe(2);
    await worker.refresh(h.store.db);
    expect(worker.current('scam_base')!.version).toBe(1);
    expect(worker.current('fallback')!.base).toEqual({ id: 'scam_base', version: 1 });
    expect(worker.version('scam_base', 2)).toBeDefined();
    expect(worker.version('fallback', 1, 2)!.base).toEqual({ id: 'scam_base', version: 2 });
  });

  it('rolls back to any earlier version and forward again', async () => {
    expect(await published('scam_base')).toBe(1);
    const again = await api('/api/flows/scam_base/rollback', { method: 'POST', body: { version: 1 } });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('v1 of scam_base is already published');
    const fwd = await api('/api/flows/scam_base/rollback', { method: 'POST', body: { version: 2 } });
    expect(fwd.body).toEqual({ flowId: 'scam_base', version: 2, previous: 1 });
    const missing = await api('/api/flows/scam_base/rollback', { method: 'POST', body: { version: 9 } });
    expect(missing.status).toBe(404);
    expect(missing.body.message).toBe('flow scam_base has no version 9');
  });

  it('exports the published version as YAML for flows/', async () => {
    const r = await api('/api/flows/scam_base/export');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-disposition')).toBe('attachment; filename=scam_base.yaml');
    expect(r.headers.get('x-flow-version')).toBe('2');
    expect(r.body).toBe(edited.replace('\nversion: 1\n', '\nversion: 2\n'));
    const v1 = await api('/api/flows/scam_base/export?version=1');
    expect(v1.body).toBe(shipped);
  });

  it('keeps an audit log of who changed and published what', async () => {
    const r = await api('/api/flows/audit?flowId=scam_base');
    const lines = (r.body.events as { actor: string; action: string; detail: { version: number } }[]).map((e) => `${e.actor} ${e.action} v${e.detail.version}`);
    expect(lines).toEqual([
      'key:manager flow_rolled_back v2',
      'key:manager flow_rolled_back v1',
      'key:manager flow_published v2',
      'key:manager flow_draft_saved v2',
      'key:manager flow_publish_refused v2',
      'key:manager flow_draft_saved v2',
      'key:manager flow_publish_refused v2',
      'key:manager flow_draft_saved v2',
      'system flow_seeded v1',
    ]);
  });

  it('tries a draft with the real classifier, in English by SMS', async () => {
    const countMessages = async () => (await h.store.db.selectFrom('messages').select('id').execute()).length;
    const before = await countMessages();
    const first = await api('/api/flows/scam_base/try', { method: 'POST', body: { yaml: edited, locale: 'en', channel: 'sms' } });
    expect(first.status).toBe(200);
    expect(first.body.prompts[0].stateId).toBe('greet');
    expect(first.body.rendered.text).toContain('First question: have you sent any money to them?');
    const reply = await api('/api/flows/scam_base/try', {
      method: 'POST',
      body: { yaml: edited, locale: 'en', channel: 'sms', state: first.body.state, input: { text: 'I already sent 5000 yuan by Alipay' } },
    });
    expect(reply.body.classification).toMatchObject({ intent: 'already_paid', atRisk: true, cues: ['already_transferred'], payment: { amounts: [5000], methods: ['alipay'] } });
    expect(reply.body.classification.confidence).toBeGreaterThan(0.5);
    // The amount and the method were heard: the next question is the time.
    expect(reply.body.state.stateId).toBe('ask_time');
    expect(reply.body.state.slots).toEqual({ amount: '5000', method: 'alipay' });
    expect(reply.body.actions[0]).toEqual({ type: 'handoff', reason: 'already_paid', priority: 100 });
    // Trying a draft sends nothing and records nothing.
    expect(await countMessages()).toBe(before);
  });

  it('tries a draft in Chinese as a voice call, showing the TwiML', async () => {
    const first = await api('/api/flows/scam_base/try', { method: 'POST', body: { yaml: edited, locale: 'zh', channel: 'voice' } });
    expect(first.body.rendered.channel).toBe('voice');
    expect(first.body.rendered.twiml).toContain('<Gather input="speech dtmf"');
    expect(first.body.rendered.twiml).toContain('language="cmn-Hans-CN"');
    const reply = await api('/api/flows/scam_base/try', { method: 'POST', body: { yaml: edited, locale: 'zh', channel: 'voice', state: first.body.state, input: { text: '你们是骗子吧' } } });
    expect(reply.body.classification.intent).toBe('distrust');
    expect(reply.body.state.stateId).toBe('verify');
  });

  it('will not try a draft that has errors', async () => {
    const r = await api('/api/flows/scam_base/try', { method: 'POST', body: { yaml: brokenTarget, locale: 'en', channel: 'telegram' } });
    expect(r.status).toBe(400);
    expect(r.body.message).toBe("the draft cannot run until its errors are fixed: greet.on.safe_aware[0] goes to state 'explain_tel', which does not exist");
  });
});
