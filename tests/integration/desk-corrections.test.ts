// Desk corrections end to end: an officer sets the right intent on a citizen's reply through the desk API, a
// supervisor reviews it, and `npm run train -- --with-corrections` learns from the reviewed ones only, behind the
// release gate. Storage on both engines.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Store } from '../../server/store/db';
import { ENGINES, type TestDatabase } from '../support/databases';
import { eventually } from '../support/stack';
import { insertCase } from '../../server/store/repositories/cases';
import { insertMessage } from '../../server/store/repositories/messages';
import { listCorrections, listCorrectionsForCase, reviewCorrection, saveCorrection, type NewCorrection } from '../../server/store/repositories/intent-corrections';
import { nluCorrections, UsageError } from '../../server/cli/nlu-corrections';
import { nluTrain } from '../../server/cli/nlu-train';
import { gateMain } from '../../nlu-models/src/gate';
import { corpusHash, loadCorpus } from '../../nlu-models/src/corpus';
import { DEFAULT_MODEL_FILE, readModelFile } from '../../nlu-models/src/model-file';
import { INTENTS } from '../../nlu-models/src/intents';
import { Person, addUser, citizenTexts, startDeskHarness, warnCitizen, type DeskHarness } from './desk-harness';

const FIXTURE_TESTSET = path.join(__dirname, '../unit/nlu/fixtures/testset');

describe.each(ENGINES)('intent corrections storage on %s', (_name, make) => {
  let db: TestDatabase;
  let store: Store;
  let m1: string;
  let m2: string;
  const at = (m: number) => `2026-11-01T10:0${m}:00.000Z`;
  const correction = (over: Partial<NewCorrection>): NewCorrection => ({
    message_id: m1,
    case_id: 'c1',
    text: '客服在帮我退款，晚点再说',
    locale: 'zh',
    channel: 'sms',
    intent: 'mid_scam',
    previous_intent: 'busy_later',
    model_version: 'nlu-02b27d99585f',
    note: null,
    corrected_by: 'dana',
    corrected_at: at(1),
    review: 'pending',
    reviewed_by: null,
    reviewed_at: null,
    ...over,
  });

  beforeAll(async () => {
    db = make();
    store = await db.open();
    const now = at(0);
    await insertCase(store.db, { id: 'c1', case_ref: 'QZTEST01', phone: '+8613800138000', status: 'open', locale: 'zh', scam_type: 'other', risk_level: 'medium', warning_count: 1, relatives: '[]', opted_out: 0, opened_at: now, updated_at: now });
    m1 = (await insertMessage(store.db, { case_id: 'c1', direction: 'in', channel: 'sms', body: '客服在帮我退款，晚点再说' })).id;
    m2 = (await insertMessage(store.db, { case_id: 'c1', direction: 'in', channel: 'sms', body: '好' })).id;
  });
  afterAll(async () => {
    await store.close();
    await db.cleanup();
  });

  it('keeps one correction per message: a later one replaces it, keeps its id, and says what it replaced', async () => {
    const first = await store.db.transaction().execute((trx) => saveCorrection(trx, correction({})));
    expect(first.replaced).toBeNull();
    const second = await store.db.transaction().execute((trx) => saveCorrection(trx, correction({ intent: 'already_paid', corrected_by: 'mark', corrected_at: at(2), review: 'approved', reviewed_by: 'mark', reviewed_at: at(2) })));
    expect(second.replaced).toMatchObject({ id: first.correction.id, intent: 'mid_scam', corrected_by: 'dana' });
    expect(second.correction).toMatchObject({ id: first.correction.id, intent: 'already_paid', corrected_by: 'mark', review: 'approved', text: '客服在帮我退款，晚点再说' });
    expect(await listCorrectionsForCase(store.db, 'c1')).toHaveLength(1);
  });

  it('lists by review state and records a review', async () => {
    const { correction: c } = await store.db.transaction().execute((trx) => saveCorrection(trx, correction({ message_id: m2, text: '好', corrected_at: at(3) })));
    expect((await listCorrections(store.db, { review: 'pending' })).map((r) => r.id)).toEqual([c.id]);
    expect(await reviewCorrection(store.db, c.id, 'rejected', 'mark', at(4))).toBe(true);
    expect(await reviewCorrection(store.db, 'no-such-id', 'approved', 'mark', at(4))).toBe(false);
    expect((await listCorrections(store.db, { review: 'rejected' }))[0]).toMatchObject({ id: c.id, reviewed_by: 'mark', reviewed_at: at(4) });
    expect(await listCorrections(store.db)).toHaveLength(2);
  });

  it('goes with its message when the message is deleted', async () => {
    await store.db.deleteFrom('messages').where('id', '=', m2).execute();
    expect((await listCorrections(store.db)).map((r) => r.message_id)).toEqual([m1]);
  });
});

describe('desk corrections over HTTP', () => {
  let h: DeskHarness;
  let dana: Person;
  let mark: Person;
  let caseId: string;
  let replyId: string;
  let greetingId: string;
  const PHONE = '+8613800138111';
  const REPLY = '客服正在帮我弄退款呢，你们晚点再打';

  beforeAll(async () => {
    h = await startDeskHarness();
    await addUser(h.store, 'dana', 'desk');
    await addUser(h.store, 'mark', 'manager');
    dana = new Person(h.baseUrl);
    mark = new Person(h.baseUrl);
    await dana.login('dana');
    await mark.login('mark');
    ({ caseId } = await warnCitizen(h, { phone: PHONE, scamType: 'fake_customer_service' }));
    expect(await citizenTexts(h, PHONE, REPLY)).toBe(200);
    const msgs = await eventually(async () => {
      const rows = await h.store.db.selectFrom('messages').selectAll().where('case_id', '=', caseId).orderBy('created_at').execute();
      return rows.some((m) => m.direction === 'in') && rows;
    }, 'the reply to be stored');
    replyId = msgs.find((m) => m.direction === 'in')!.id;
    greetingId = msgs.find((m) => m.direction === 'out')!.id;
  }, 90_000);
  afterAll(() => h.close());

  it('stores a desk officer’s correction as labelled data, pending a supervisor’s review', async () => {
    const stored = await h.store.db.selectFrom('messages').selectAll().where('id', '=', replyId).executeTakeFirstOrThrow();
    const model = JSON.parse(stored.classification!).modelVersion;
    const r = await dana.json('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'mid_scam', note: '“客服”还在线上' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      correction: { id: expect.any(String), messageId: replyId, caseId, intent: 'mid_scam', previousIntent: stored.intent, modelVersion: model, by: 'dana', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    expect(model).toBe(readModelFile(DEFAULT_MODEL_FILE).modelVersion);
    const row = await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', replyId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ text: REPLY, locale: 'zh', channel: 'sms', intent: 'mid_scam', previous_intent: stored.intent, model_version: model, note: '“客服”还在线上', corrected_by: 'dana', review: 'pending', reviewed_by: null });
  });

  it('shows the correction on that message in the case view, and null on the others', async () => {
    const { body } = await dana.json('GET', `/api/desk/cases/${caseId}`);
    const messages = body.timeline.filter((t: { kind: string }) => t.kind === 'message');
    expect(messages.find((m: { id: string }) => m.id === replyId).correction).toEqual({ intent: 'mid_scam', by: 'dana', at: expect.any(String) });
    expect(messages.filter((m: { id: string }) => m.id !== replyId).map((m: { correction: unknown }) => m.correction)).toEqual(messages.slice(1).map(() => null));
  });

  it('lets anyone replace it; a supervisor’s correction is reviewed as made, and the audit keeps the one replaced', async () => {
    const first = (await dana.json('GET', `/api/desk/cases/${caseId}`)).body.timeline.find((t: { id: string }) => t.id === replyId).correction;
    const r = await mark.json('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'already_paid' });
    expect(r.status).toBe(200);
    expect(r.body.correction).toMatchObject({ messageId: replyId, intent: 'already_paid', by: 'mark' });
    const row = await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', replyId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ id: r.body.correction.id, intent: 'already_paid', corrected_by: 'mark', review: 'approved', reviewed_by: 'mark', note: null });
    const audits = await h.store.db.selectFrom('audit_events').selectAll().where('case_id', '=', caseId).where('action', '=', 'intent_corrected').orderBy('id').execute();
    expect(audits.map((a) => [a.actor, JSON.parse(a.detail!).intent, JSON.parse(a.detail!).replaced])).toEqual([
      ['dana', 'mid_scam', null],
      ['mark', 'already_paid', { intent: 'mid_scam', by: 'dana', at: first.at, review: 'pending' }],
    ]);
  });

  it('answers 400 naming the problem for an unknown intent or a bad body', async () => {
    const unknown = await dana.json('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'paid' });
    expect(unknown).toEqual({ status: 400, body: { error: 'validation_error', message: `invalid correction: intent: must be one of ${INTENTS.join(', ')}` } });
    const long = await dana.json('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'other', note: 'x'.repeat(501) });
    expect(long).toEqual({ status: 400, body: { error: 'validation_error', message: 'invalid correction: note: at most 500 characters' } });
    const none = await dana.json('POST', `/api/desk/messages/${replyId}/intent`, {});
    expect(none.status).toBe(400);
    expect(none.body.message).toMatch(/^invalid correction: intent: /);
    const notJson = await dana.request('POST', `/api/desk/messages/${replyId}/intent`, '"mid_scam"');
    expect(notJson.status).toBe(400);
    expect((await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', replyId).executeTakeFirstOrThrow()).intent).toBe('already_paid');
  });

  it('answers 404 for an unknown message or one the centre sent', async () => {
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-a-message']) {
      expect(await dana.json('POST', `/api/desk/messages/${id}/intent`, { intent: 'other' })).toEqual({ status: 404, body: { error: 'not_found', message: `message ${id} not found` } });
    }
    expect(await dana.json('POST', `/api/desk/messages/${greetingId}/intent`, { intent: 'other' })).toEqual({
      status: 404,
      body: { error: 'not_found', message: `message ${greetingId} is not a citizen's message: only replies can be corrected` },
    });
  });

  it('needs a desk role and, for a session, the CSRF token', async () => {
    const noCsrf = await dana.request('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'other' }, { csrf: null });
    expect(noCsrf.status).toBe(403);
    expect((await noCsrf.json()).error).toBe('csrf_token_invalid');
    expect((await new Person(h.baseUrl).json('POST', `/api/desk/messages/${replyId}/intent`, { intent: 'other' })).status).toBe(401);
    expect((await h.stack.api('POST', `/api/desk/messages/${replyId}/intent`, 'intake', { intent: 'other' })).status).toBe(403);
    expect((await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', replyId).executeTakeFirstOrThrow()).intent).toBe('already_paid');
  });

  describe('review and retraining', () => {
    const env = () => ({ ...h.stack.db.env, DATABASE_SCHEMA: h.stack.db.env.DATABASE_SCHEMA ?? '' }) as NodeJS.ProcessEnv;
    const SECOND = 'ok I will be careful, still doing the refund with them to card 6222020200112233445';
    let pendingId: string;
    const lines: string[] = [];

    beforeAll(async () => {
      expect(await citizenTexts(h, PHONE, SECOND)).toBe(200);
      const second = await eventually(
        async () => (await h.store.db.selectFrom('messages').selectAll().where('case_id', '=', caseId).where('direction', '=', 'in').where('id', '!=', replyId).executeTakeFirst()) ?? null,
        'the second reply',
      );
      const r = await dana.json('POST', `/api/desk/messages/${second.id}/intent`, { intent: 'mid_scam' });
      expect(r.status).toBe(200);
      pendingId = r.body.correction.id;
    }, 60_000);

    it('lists pending corrections for supervisors, with numbers masked', async () => {
      lines.length = 0;
      await nluCorrections(['list'], env(), (l) => void lines.push(l));
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(new RegExp(`^${pendingId}  pending  en sms      \\S+ → mid_scam  by dana `));
      expect(lines[0]).toContain('still doing the refund with them to card 6222****3445');
      expect(lines[1]).toBe('1 correction(s) pending');
    });

    it('takes a review only from a manager or admin', async () => {
      await expect(nluCorrections(['approve', pendingId, '--by', 'dana'], env(), () => {})).rejects.toThrow(new UsageError('--by "dana" is a desk; only a manager or admin reviews corrections'));
      await expect(nluCorrections(['approve', pendingId], env(), () => {})).rejects.toThrow('approve needs --by <username>: the supervisor who reviewed it');
      await expect(nluCorrections(['approve', 'nope', '--by', 'mark'], env(), () => {})).rejects.toThrow('no correction nope (nothing after it was changed)');
      lines.length = 0;
      await nluCorrections(['approve', pendingId, '--by', 'mark'], env(), (l) => void lines.push(l));
      expect(lines).toEqual([expect.stringMatching(new RegExp(`^approved ${pendingId} \\(\\S+ → mid_scam\\)$`))]);
      const audit = await h.store.db.selectFrom('audit_events').selectAll().where('action', '=', 'intent_correction_reviewed').executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ case_id: caseId, actor: 'mark' });
      expect(JSON.parse(audit.detail!)).toEqual({ correctionId: pendingId, messageId: expect.any(String), intent: 'mid_scam', decision: 'approved', was: 'pending' });
    });

    it('trains a candidate on the corpus and the reviewed corrections, which the gate then measures', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-retrain-'));
      const out = path.join(dir, 'candidate.json');
      try {
        const version = await nluTrain(['--with-corrections', '--out', out, '--testset', FIXTURE_TESTSET], env());
        const model = readModelFile(out);
        expect(model.modelVersion).toBe(version);
        expect(model.trainedOn).toMatchObject({ corpus: loadCorpus('corpus').length, corrections: 2 });
        expect(model.corpusHash).toBe(corpusHash(loadCorpus('corpus')));
        expect(version).not.toBe(readModelFile(DEFAULT_MODEL_FILE).modelVersion);
        const printed: string[] = [];
        const code = gateMain(['--candidate', out, '--testset', FIXTURE_TESTSET, '--history', path.join(dir, 'releases.json'), '--check'], (s) => void printed.push(s));
        expect([0, 1]).toContain(code);
        expect(printed.join('')).toContain(`| candidate \`${version}\` | testset | 28 |`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 180_000);
  });
});
