// Supervisors score a conversation on the QA form and flag a reply as a training example, on both engines.
import { ENGINES } from '../support/databases';
import { EXAMPLE_UNITS, managerFetch, startHarness, type Harness } from './manager-harness';
import { kpiCaseId, seedKpiPeople } from './kpi-seed';

describe.each(ENGINES)('QA reviews on %s', (_name, make) => {
  let h: Harness;
  const caseId = kpiCaseId('P4');
  const other = kpiCaseId('P1');
  beforeAll(async () => {
    h = await startHarness(make(), { env: { UNITS_FILE: EXAMPLE_UNITS } });
    await seedKpiPeople(h.store);
  });
  afterAll(async () => {
    await h.close();
  });
  const put = async (body: unknown, as: 'manager' | 'desk' = 'manager', id = caseId) => {
    const res = await managerFetch(h, `/api/desk/cases/${id}/qa`, { method: 'PUT', body, as });
    return { status: res.status, body: (await res.json()) as any };
  };
  const full = { identified: 2, verification: 2, asked_paid: 2, named_tell: 1, one_question: 2, no_secrets: 2, at_risk_escalated: null };

  it('scores the points that apply, keeps one review per supervisor, and flags a reply for the classifier', async () => {
    const replies = await h.store.db.selectFrom('messages').select(['id', 'body']).where('case_id', '=', caseId).orderBy('created_at').execute();
    const mumble = replies.find((r) => r.body === '嗯嗯')!;
    const rec = '00000000-0000-4000-a000-000000000001';
    await h.store.db.insertInto('call_recordings').values({ id: rec, case_id: caseId, attempt_id: null, call_sid: `CA${'1'.repeat(32)}`, recording_sid: `RE${'1'.repeat(32)}`, status: 'completed', duration_seconds: 42, channels: 2, media_url: null, started_at: null, created_at: '2026-08-10T05:01:00.000Z', updated_at: '2026-08-10T05:02:00.000Z', deleted_at: null }).execute();

    const first = await put({ scores: full, comment: '语气平和，但没有点明冒充公检法的破绽', recordingId: rec });
    expect(first.status).toBe(200);
    // 11 points of 12 possible over the six points that apply.
    expect(first.body).toMatchObject({ caseId, reviewer: 'key:manager', score: 11 / 12, criticalFailed: false, recordingId: rec, trainingExample: null, comment: '语气平和，但没有点明冒充公检法的破绽' });

    const second = await put({ scores: { ...full, no_secrets: 0 }, trainingExample: { messageId: mumble.id, intent: 'safe_aware' } });
    expect(second.body).toMatchObject({ id: first.body.id, score: 9 / 12, criticalFailed: true, recordingId: null, trainingExample: { messageId: mumble.id, intent: 'safe_aware' } });
    const list = await (await managerFetch(h, `/api/desk/cases/${caseId}/qa`, { as: 'desk' })).json();
    expect(list.criteria).toEqual(['identified', 'verification', 'asked_paid', 'named_tell', 'one_question', 'no_secrets', 'at_risk_escalated']);
    expect(list.reviews).toHaveLength(1);
    expect(list.reviews[0].scores).toEqual({ ...full, no_secrets: 0 });

    const examples = await (await managerFetch(h, '/api/qa/training-examples')).json();
    expect(examples.examples).toEqual([expect.objectContaining({ caseId, messageId: mumble.id, text: '嗯嗯', channel: 'voice', classifiedAs: 'other', intent: 'safe_aware', by: 'key:manager' })]);
    // The same labelled data as a desk correction: the next model learns from it once reviewed.
    const correction = await h.store.db.selectFrom('intent_corrections').selectAll().where('message_id', '=', mumble.id).executeTakeFirstOrThrow();
    expect(correction).toMatchObject({ case_id: caseId, text: '嗯嗯', channel: 'voice', intent: 'safe_aware', previous_intent: 'other', corrected_by: 'key:manager', note: `QA review ${first.body.id}` });
    const audits = await h.store.db.selectFrom('audit_events').select('action').where('case_id', '=', caseId).where('action', '=', 'qa_reviewed').execute();
    expect(audits).toHaveLength(2);
  });

  it('refuses what does not belong to the conversation, a form with nothing scored, and desk officers', async () => {
    const foreign = (await h.store.db.selectFrom('messages').select('id').where('case_id', '=', other).executeTakeFirstOrThrow()).id;
    expect((await put({ scores: full, trainingExample: { messageId: foreign, intent: 'safe_aware' } })).body.message).toBe(`invalid review: trainingExample.messageId: ${foreign} is not a message of this case`);
    expect((await put({ scores: full, recordingId: '00000000-0000-4000-a000-000000000009' })).body.message).toBe('invalid review: recordingId: 00000000-0000-4000-a000-000000000009 is not a recording of this case');
    const none = Object.fromEntries(Object.keys(full).map((k) => [k, null]));
    expect((await put({ scores: none })).body.message).toBe('invalid review: scores: score at least one point (null means it does not apply)');
    const three = await put({ scores: { ...full, identified: 3 } });
    expect(three.status).toBe(400);
    expect(three.body.message).toBe('invalid review: scores.identified: must be 0, 1, 2, or null when it does not apply');
    const missing = await put({ scores: { identified: 2 } });
    expect(missing.body.message).toContain('scores.verification: must be 0, 1, 2, or null when it does not apply');
    expect((await put({ scores: full, trainingExample: { messageId: foreign, intent: 'maybe' } })).body.message).toContain('trainingExample.intent: must be one of safe_aware');
    const desk = await put({ scores: full }, 'desk');
    expect(desk.status).toBe(403);
    expect(desk.body.message).toBe('only a supervisor may score a conversation');
    expect((await put({ scores: full }, 'manager', '00000000-0000-4000-a000-00000000dead')).status).toBe(404);
  });
});
