// Conferences on the local phone network, driven through the real twilio client: participants dialled in by
// room name, TwiML <Dial><Conference>, signed conference status callbacks, kicks, mute and hold, and the ways
// a room ends.
import { ACCOUNT_SID, APP_NUMBER, CITIZEN, startWorld, type World } from './setup';

let w: World;
beforeEach(async () => {
  w = await startWorld({ ringMs: 150 });
});
afterEach(() => w.close());

const OFFICER = '+8613911112222';
const BANK = '+861055550101';

const events = () =>
  w.app.received.filter((r) => r.path === '/webhooks/conference').map((r) => `${r.params.StatusCallbackEvent}${r.params.Label ? `:${r.params.Label}` : ''}`);

function dialIn(room: string, to: string, label: string, extra: Record<string, unknown> = {}) {
  return w.twilioClient.conferences(room).participants.create({
    from: APP_NUMBER,
    to,
    label,
    beep: 'false',
    conferenceStatusCallback: `${w.app.url}/webhooks/conference`,
    conferenceStatusCallbackEvent: ['start', 'end', 'join', 'leave', 'mute', 'hold'],
    statusCallback: `${w.app.url}/webhooks/call-status`,
    statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
    ...extra,
  });
}

describe('Twilio conferences through the real twilio client', () => {
  it('joins three people into a room by name; the room ends when the one with endConferenceOnExit leaves', async () => {
    for (const n of [OFFICER, CITIZEN, BANK]) await w.network.control.setBehaviour(n, { call: 'answer' });
    const officer = await dialIn('sp-1', OFFICER, 'officer', { endConferenceOnExit: true });
    expect(officer).toMatchObject({ callSid: expect.stringMatching(/^CA[0-9a-f]{32}$/), conferenceSid: expect.stringMatching(/^CF[0-9a-f]{32}$/), label: 'officer', status: 'queued', endConferenceOnExit: true, startConferenceOnEnter: true });
    const citizen = await dialIn('sp-1', CITIZEN, 'citizen');
    const bank = await dialIn('sp-1', BANK, 'bank');
    expect(citizen.conferenceSid).toBe(officer.conferenceSid);
    expect(bank.conferenceSid).toBe(officer.conferenceSid);

    const room = await w.network.control.waitForConference('sp-1', { connected: 3 });
    expect(room).toMatchObject({ sid: officer.conferenceSid, status: 'in-progress', friendlyName: 'sp-1' });
    expect(room.participants.map((p) => [p.label, p.number, p.status])).toEqual([
      ['officer', OFFICER, 'connected'],
      ['citizen', CITIZEN, 'connected'],
      ['bank', BANK, 'connected'],
    ]);
    // The library reads the room and its participants back.
    const fetched = await w.twilioClient.conferences(room.sid).fetch();
    expect(fetched).toMatchObject({ friendlyName: 'sp-1', status: 'in-progress' });
    const listed = await w.twilioClient.conferences.list({ friendlyName: 'sp-1', status: 'in-progress' });
    expect(listed.map((c) => c.sid)).toEqual([room.sid]);
    expect((await w.twilioClient.conferences(room.sid).participants.list()).map((p) => p.label).sort()).toEqual(['bank', 'citizen', 'officer']);

    // The bank line is muted and put back; the citizen hangs up; the officer leaves last and ends the room.
    await w.twilioClient.conferences(room.sid).participants(bank.callSid).update({ muted: true });
    await w.twilioClient.conferences(room.sid).participants(bank.callSid).update({ muted: false });
    await w.network.control.hangUp(citizen.callSid);
    await w.network.control.hangUp(officer.callSid);
    const ended = await w.network.control.waitForConference('sp-1', { status: 'completed' });
    expect(ended).toMatchObject({ reasonConferenceEnded: 'participant-with-end-conference-on-exit-left', callSidEndingConference: officer.callSid });
    // The bank's call is taken out of the room and, with no TwiML after the <Dial>, hangs up.
    expect((await w.network.control.waitForCallEnd(bank.callSid)).status).toBe('completed');
    expect((await w.network.control.call(bank.callSid)).transcript.map((e) => e.kind)).toContain('dial');

    const hooks = w.app.received.filter((r) => r.path === '/webhooks/conference');
    expect(hooks.every((h) => h.signatureValid)).toBe(true);
    expect(events().filter((e) => !e.startsWith('participant-join') && !e.startsWith('conference-start'))).toEqual([
      'participant-mute:bank',
      'participant-unmute:bank',
      'participant-leave:citizen',
      'participant-leave:officer',
      'conference-end',
      'participant-leave:bank',
    ]);
    // The room starts with whoever answers first.
    expect(events()[0]).toBe('conference-start');
    expect(events()[1]).toMatch(/^participant-join:/);
    expect(events().filter((e) => e.startsWith('participant-join')).sort()).toEqual(['participant-join:bank', 'participant-join:citizen', 'participant-join:officer']);
    const leave = hooks.find((h) => h.params.StatusCallbackEvent === 'participant-leave' && h.params.Label === 'citizen')!;
    expect(leave.params).toMatchObject({ AccountSid: ACCOUNT_SID, ConferenceSid: room.sid, FriendlyName: 'sp-1', CallSid: citizen.callSid, ReasonParticipantLeft: 'participant_hung_up', ParticipantCallStatus: 'completed' });
    const end = hooks.find((h) => h.params.StatusCallbackEvent === 'conference-end')!;
    expect(end.params).toMatchObject({ ReasonConferenceEnded: 'participant-with-end-conference-on-exit-left', CallSidEndingConference: officer.callSid });
    expect(hooks.map((h) => Number(h.params.SequenceNumber))).toEqual(hooks.map((_h, i) => i + 1));
    // Each participant's own call reports its progress to its status callback as any call does.
    const citizenStatuses = w.app.received.filter((r) => r.path === '/webhooks/call-status' && r.params.CallSid === citizen.callSid).map((r) => r.params.CallStatus);
    expect(citizenStatuses).toEqual(['initiated', 'ringing', 'in-progress', 'completed']);
  });

  it('a participant who does not answer fails in the room; a kick takes one out; the API ends the room', async () => {
    await w.network.control.setBehaviour(OFFICER, { call: 'answer' });
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    await w.network.control.setBehaviour(BANK, { call: 'no-answer' });
    const officer = await dialIn('sp-2', OFFICER, 'officer');
    const citizen = await dialIn('sp-2', CITIZEN, 'citizen');
    const bank = await dialIn('sp-2', BANK, 'bank');
    await w.network.control.waitForCallEnd(bank.callSid);
    const room = await w.network.control.waitForConference('sp-2', { connected: 2 });
    expect(room.participants.find((p) => p.label === 'bank')).toMatchObject({ status: 'failed', leftBecause: 'call_no-answer' });
    await expect(w.twilioClient.conferences(room.sid).participants(bank.callSid).fetch()).rejects.toMatchObject({ status: 404, code: 20404 });

    await w.twilioClient.conferences(room.sid).participants(citizen.callSid).remove();
    const after = await w.network.control.waitForCallEnd(citizen.callSid);
    expect(after.status).toBe('completed');
    expect((await w.network.control.waitForConference('sp-2', { connected: 1 })).participants.find((p) => p.label === 'citizen')).toMatchObject({ status: 'complete', leftBecause: 'participant_was_kicked' });

    await w.twilioClient.conferences(room.sid).update({ status: 'completed' });
    expect(await w.network.control.waitForConference('sp-2', { status: 'completed' })).toMatchObject({ reasonConferenceEnded: 'conference-ended-via-api' });
    expect((await w.network.control.waitForCallEnd(officer.callSid)).status).toBe('completed');
    // A new room of the same name is a new conference.
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const again = await dialIn('sp-2', CITIZEN, 'citizen');
    expect(again.conferenceSid).not.toBe(room.sid);
    await expect(w.twilioClient.conferences(room.sid).participants.create({ from: APP_NUMBER, to: OFFICER })).rejects.toMatchObject({ status: 404, code: 20404 });
  });

  it('runs <Dial><Conference> from a call’s own TwiML, with the room’s callback from its attributes', async () => {
    await w.network.control.setBehaviour(OFFICER, { call: 'answer' });
    await w.network.control.setBehaviour(CITIZEN, { call: 'answer' });
    const twiml = (label: string) =>
      `<Response><Say>Connecting.</Say><Dial><Conference participantLabel="${label}" statusCallback="${w.app.url}/webhooks/conference" statusCallbackEvent="start end join leave" endConferenceOnExit="true">room-3</Conference></Dial><Say>The call has ended.</Say></Response>`;
    const a = await w.twilioClient.calls.create({ to: OFFICER, from: APP_NUMBER, twiml: twiml('officer') });
    const b = await w.twilioClient.calls.create({ to: CITIZEN, from: APP_NUMBER, twiml: twiml('citizen') });
    await w.network.control.waitForConference('room-3', { connected: 2 });
    await w.network.control.hangUp(a.sid);
    await w.network.control.waitForConference('room-3', { status: 'completed' });
    const rest = await w.network.control.waitForCallEnd(b.sid);
    // After the room, the citizen's call goes on to the next verb.
    expect(rest.transcript.filter((e) => e.kind === 'say').map((e) => (e as { text: string }).text)).toEqual(['Connecting.', 'The call has ended.']);
    expect(events().slice(0, 3).sort()).toEqual(['conference-start', 'participant-join:citizen', 'participant-join:officer']);
    expect(events().slice(3)).toEqual(['participant-leave:officer', 'conference-end', 'participant-leave:citizen']);
  });
});
