// Call recordings on the local phone network, driven by the real twilio library and the product's own
// CallRecordings: record=true on the call, signed recording status callbacks, the Recordings resource,
// its WAV media behind the account's credentials, and deletion.
import { CallRecordings, RecordingNotFoundError } from '../../../bots/recordings';
import { createTwilioClient } from '../../../bots/twilio-client';
import { ACCOUNT_SID, APP_NUMBER, AUTH_TOKEN, CITIZEN, startWorld, type World } from './setup';

let w: World;
beforeEach(async () => {
  w = await startWorld({ ringMs: 150 });
});
afterEach(() => w.close());

describe('Twilio call recordings through the real twilio client', () => {
  it('records an answered call, reports it signed, serves its audio and deletes it', async () => {
    w.app.on('/webhooks/twilio/voice/outbound', '<Response><Gather input="speech" action="/webhooks/twilio/gather"><Say>Hello</Say></Gather></Response>');
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const call = await w.twilioClient.calls.create({
      to: CITIZEN,
      from: APP_NUMBER,
      url: `${w.app.url}/webhooks/twilio/voice/outbound`,
      record: true,
      recordingChannels: 'dual',
      recordingStatusCallback: `${w.app.url}/webhooks/twilio/voice/recording?caseId=c1`,
      recordingStatusCallbackMethod: 'POST',
      recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'],
    });
    await w.network.control.waitForGather(call.sid);
    await w.network.control.hangUp(call.sid);
    await w.network.control.waitForCallback({ ref: call.sid, kind: 'recording-status', status: 'completed' });

    const callbacks = w.app.received.filter((r) => r.path === '/webhooks/twilio/voice/recording');
    expect(callbacks.map((r) => [r.params.RecordingStatus, r.signatureValid])).toEqual([
      ['in-progress', true],
      ['completed', true],
    ]);
    const done = callbacks[1]!.params;
    expect(done).toMatchObject({ AccountSid: ACCOUNT_SID, CallSid: call.sid, RecordingChannels: '2', RecordingSource: 'OutboundAPI', RecordingDuration: expect.stringMatching(/^[1-9]\d*$/) });
    expect(done.RecordingSid).toMatch(/^RE[0-9a-f]{32}$/);
    expect(done.RecordingUrl).toBe(`https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/${done.RecordingSid}`);
    expect(Number.isNaN(Date.parse(done.RecordingStartTime!))).toBe(false);

    const fetched = await w.twilioClient.recordings(done.RecordingSid!).fetch();
    expect(fetched).toMatchObject({ sid: done.RecordingSid, callSid: call.sid, status: 'completed', channels: 2, duration: done.RecordingDuration });

    const client = createTwilioClient(ACCOUNT_SID, AUTH_TOKEN, w.network.url);
    const recordings = new CallRecordings(client, { accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, apiBase: w.network.url });
    const audio = await recordings.audio(done.RecordingSid!);
    expect(audio.contentType).toContain('audio/x-wav');
    expect(audio.body.subarray(0, 4).toString('ascii')).toBe('RIFF');
    expect(audio.body.readUInt16LE(22)).toBe(2);
    expect(audio.body.length).toBe(44 + 8000 * 2 * 2 * Number(done.RecordingDuration));
    const wrongKey = new CallRecordings(client, { accountSid: ACCOUNT_SID, authToken: 'not-the-token', apiBase: w.network.url });
    await expect(wrongKey.audio(done.RecordingSid!)).rejects.toThrow('Twilio: recording media answered 401');

    expect(await recordings.remove(done.RecordingSid!)).toBe('deleted');
    expect((await w.network.control.recordings(call.sid))[0]!.deletedAt).not.toBeNull();
    await expect(recordings.audio(done.RecordingSid!)).rejects.toBeInstanceOf(RecordingNotFoundError);
    expect(await recordings.remove(done.RecordingSid!)).toBe('already_gone');
  });

  it('makes no recording of a call nobody answered, nor of a call placed without record', async () => {
    await w.network.control.setBehaviour(CITIZEN, { call: 'no-answer' });
    const unanswered = await w.twilioClient.calls.create({ to: CITIZEN, from: APP_NUMBER, twiml: '<Response><Say>Hi</Say></Response>', record: true, recordingStatusCallback: `${w.app.url}/rec` });
    await w.network.control.waitForCallEnd(unanswered.sid);
    expect(await w.network.control.recordings(unanswered.sid)).toEqual([]);
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const plain = await w.twilioClient.calls.create({ to: CITIZEN, from: APP_NUMBER, twiml: '<Response><Say>Hi</Say></Response>' });
    await w.network.control.waitForCallEnd(plain.sid);
    expect(await w.network.control.recordings(plain.sid)).toEqual([]);
    expect(w.app.received.filter((r) => r.path === '/rec')).toEqual([]);
  });
});
