// Call recording on the whole system with the local phone network: the policy switch turns it on, the
// citizen hears the notice first, Twilio's signed recording callback keeps our reference, a supervisor
// plays the audio (a desk officer without the claim may not), retention deletes it at Twilio; on SQLite and
// PostgreSQL.
import path from 'node:path';
import { startE2E, warn, type E2E } from './helpers';
import { eventually } from '../support/stack';
import { runRetention } from '../../server/retention/run';
import { loadRetentionConfig } from '../../server/config';
import { CallRecordings } from '../../bots/recordings';
import { createTwilioClient } from '../../bots/twilio-client';
import { ENGINES } from '../support/databases';

const RECORDING_POLICY = path.resolve(__dirname, '../support/policies/recording.yaml');
const NOTICE = '您好，为了核实和改进我们的工作，本次通话将被录音。';

describe.each(ENGINES)('call recording on %s', (_engine, makeDb) => {
  let e: E2E;
  beforeAll(async () => {
    e = await startE2E({ ringMs: 20_000, db: makeDb(), env: { POLICY_FILE: RECORDING_POLICY } });
  });
  afterAll(async () => {
    await e?.stop();
  });

  it('records the warning call after the spoken notice, keeps the reference, plays it to a supervisor, and retention removes it', async () => {
    const phone = '+8613900139601';
    const { caseId } = await warn(e.stack, { phone, riskLevel: 'high' });
    const net = e.stack.network.control;
    const call = await net.waitForCall(phone, { timeoutMs: 15000 });
    await net.answerCall(call.sid);
    const gather = await net.waitForGather(call.sid);
    // The notice comes before anything else the citizen hears.
    expect(gather.prompt[0]).toBe(NOTICE);
    expect(gather.prompt[1]).toContain('这里是');
    await net.answerGather(call.sid, { speech: '没有，我没转过钱', confidence: 0.9 });
    await net.waitForGather(call.sid);
    await net.hangUp(call.sid);
    await net.waitForCallback({ ref: call.sid, kind: 'recording-status', status: 'completed' });

    const rec = await eventually(
      () => e.store.db.selectFrom('call_recordings').selectAll().where('case_id', '=', caseId).where('status', '=', 'completed').executeTakeFirst(),
      'the recording reference',
    );
    const atTwilio = (await net.recordings(call.sid))[0]!;
    expect(rec).toMatchObject({ call_sid: call.sid, recording_sid: atTwilio.sid, duration_seconds: atTwilio.duration, channels: 2, deleted_at: null });
    expect(rec.attempt_id).not.toBeNull();
    const out = await e.store.db.selectFrom('messages').select('body').where('case_id', '=', caseId).where('direction', '=', 'out').orderBy('created_at').executeTakeFirstOrThrow();
    expect(out.body.startsWith(NOTICE)).toBe(true);

    const list = await e.stack.api('GET', `/api/desk/cases/${caseId}/recordings`, 'desk');
    expect(list.status).toBe(200);
    expect(list.body.recordings).toEqual([expect.objectContaining({ id: rec.id, status: 'completed', durationSeconds: atTwilio.duration, audioUrl: `/api/recordings/${rec.id}/audio`, deletedAt: null })]);
    const refused = await e.stack.api('GET', `/api/recordings/${rec.id}/audio`, 'desk');
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe("only the officer holding this case's claim, or a supervisor, may hear its recordings");
    const audio = await fetch(`${e.stack.appUrl}/api/recordings/${rec.id}/audio`, { headers: { authorization: `Bearer ${e.stack.keys.manager}` } });
    expect(audio.status).toBe(200);
    expect(audio.headers.get('content-type')).toContain('audio/x-wav');
    expect(audio.headers.get('cache-control')).toBe('no-store');
    const bytes = Buffer.from(await audio.arrayBuffer());
    expect(bytes.subarray(0, 4).toString('ascii')).toBe('RIFF');
    const played = await e.store.db.selectFrom('audit_events').select(['actor', 'detail']).where('case_id', '=', caseId).where('action', '=', 'recording_played').execute();
    expect(played).toEqual([{ actor: 'key:manager', detail: JSON.stringify({ recordingId: rec.id }) }]);

    // Retention: RETENTION_RECORDING_DAYS (90) after the case closed, the recording goes, at Twilio too.
    const recordings = new CallRecordings(createTwilioClient(e.stack.env.TWILIO_ACCOUNT_SID!, e.stack.env.TWILIO_AUTH_TOKEN!, e.stack.network.url), {
      accountSid: e.stack.env.TWILIO_ACCOUNT_SID!,
      authToken: e.stack.env.TWILIO_AUTH_TOKEN!,
      apiBase: e.stack.network.url,
    });
    const policy = loadRetentionConfig({}).retention;
    const in89days = new Date(Date.now() + 89 * 86_400_000);
    const in91days = new Date(Date.now() + 91 * 86_400_000);
    // Open cases are never touched, however old.
    expect(await runRetention(e.store.db, policy, { now: in91days, recordings })).toMatchObject({ recordings: 0 });
    await e.store.db.updateTable('cases').set({ status: 'closed', closed_at: new Date().toISOString() }).where('id', '=', caseId).execute();
    expect(await runRetention(e.store.db, policy, { now: in89days, recordings })).toMatchObject({ recordings: 0 });
    // Without Twilio nothing is deleted: the audio would stay at Twilio with nothing pointing at it.
    expect(await runRetention(e.store.db, policy, { now: in91days })).toMatchObject({ recordings: 0, recordingsKept: 1 });
    expect(await runRetention(e.store.db, policy, { now: in91days, dryRun: true, recordings })).toMatchObject({ recordings: 1 });
    expect((await net.recordings(call.sid))[0]!.deletedAt).toBeNull();
    expect(await runRetention(e.store.db, policy, { now: in91days, recordings })).toMatchObject({ recordings: 1 });
    expect((await net.recordings(call.sid))[0]!.deletedAt).not.toBeNull();
    const gone = await e.stack.api('GET', `/api/recordings/${rec.id}/audio`, 'manager');
    expect(gone.status).toBe(410);
    expect(gone.body.error).toBe('recording_deleted');
    const after = await e.stack.api('GET', `/api/desk/cases/${caseId}/recordings`, 'manager');
    expect(after.body.recordings[0]).toMatchObject({ status: 'deleted', audioUrl: null, deletedAt: expect.any(String) });
    expect(await runRetention(e.store.db, policy, { now: in91days, recordings })).toMatchObject({ recordings: 0 });
  });

  it('refuses a recording callback that Twilio did not sign', async () => {
    const res = await fetch(`${e.stack.appUrl}/webhooks/twilio/voice/recording`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ CallSid: `CA${'0'.repeat(32)}`, RecordingSid: `RE${'0'.repeat(32)}`, RecordingStatus: 'completed' }).toString(),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_signature');
  });
});
