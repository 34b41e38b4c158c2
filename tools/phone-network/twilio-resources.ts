// The JSON bodies Twilio's 2010-04-01 API answers with, built from our records.
import { rfc2822 } from './twilio-format';
import type { CallRecord, ConferenceRecord, ParticipantRecord, RecordingRecord, SmsRecord } from './types';

export function messageJson(m: SmsRecord): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${m.accountSid}/Messages/${m.sid}`;
  return {
    account_sid: m.accountSid,
    api_version: '2010-04-01',
    body: m.body,
    date_created: rfc2822(m.dateCreated),
    date_sent: rfc2822(m.dateSent),
    date_updated: rfc2822(m.dateUpdated),
    direction: m.direction,
    error_code: m.errorCode,
    error_message: m.errorMessage,
    from: m.from,
    messaging_service_sid: null,
    num_media: '0',
    num_segments: String(m.numSegments),
    price: null,
    price_unit: 'USD',
    sid: m.sid,
    status: m.status,
    subresource_uris: { media: `${base}/Media.json`, feedback: `${base}/Feedback.json` },
    to: m.to,
    uri: `${base}.json`,
  };
}

export function callJson(c: CallRecord): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${c.accountSid}/Calls/${c.sid}`;
  return {
    account_sid: c.accountSid,
    annotation: null,
    answered_by: c.answeredBy,
    api_version: '2010-04-01',
    caller_name: null,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    direction: c.direction,
    duration: c.duration === null ? null : String(c.duration),
    end_time: rfc2822(c.endTime),
    forwarded_from: null,
    from: c.from,
    from_formatted: c.from,
    group_sid: null,
    parent_call_sid: null,
    phone_number_sid: null,
    price: null,
    price_unit: 'USD',
    queue_time: '0',
    sid: c.sid,
    start_time: rfc2822(c.startTime),
    status: c.status,
    subresource_uris: {
      notifications: `${base}/Notifications.json`,
      recordings: `${base}/Recordings.json`,
      payments: `${base}/Payments.json`,
      events: `${base}/Events.json`,
      siprec: `${base}/Siprec.json`,
      streams: `${base}/Streams.json`,
      transcriptions: `${base}/Transcriptions.json`,
      user_defined_message_subscriptions: `${base}/UserDefinedMessageSubscriptions.json`,
      user_defined_messages: `${base}/UserDefinedMessages.json`,
    },
    to: c.to,
    to_formatted: c.to,
    trunk_sid: null,
    uri: `${base}.json`,
  };
}

export function recordingJson(r: RecordingRecord): Record<string, unknown> {
  const uri = `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}.json`;
  return {
    account_sid: r.accountSid,
    api_version: '2010-04-01',
    call_sid: r.callSid,
    channels: r.channels,
    conference_sid: null,
    date_created: rfc2822(r.dateCreated),
    date_updated: rfc2822(r.dateUpdated),
    duration: r.duration === null ? '-1' : String(r.duration),
    encryption_details: null,
    error_code: null,
    media_url: `https://api.twilio.com/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}`,
    price: null,
    price_unit: 'USD',
    sid: r.sid,
    source: 'OutboundAPI',
    start_time: rfc2822(r.startTime),
    status: r.status,
    subresource_uris: { add_on_results: `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}/AddOnResults.json`, transcriptions: `/2010-04-01/Accounts/${r.accountSid}/Recordings/${r.sid}/Transcriptions.json` },
    track: 'both',
    uri,
  };
}

export function conferenceJson(c: ConferenceRecord): Record<string, unknown> {
  const base = `/2010-04-01/Accounts/${c.accountSid}/Conferences/${c.sid}`;
  return {
    account_sid: c.accountSid,
    api_version: '2010-04-01',
    call_sid_ending_conference: c.callSidEndingConference,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    friendly_name: c.friendlyName,
    reason_conference_ended: c.reasonConferenceEnded,
    region: 'us1',
    sid: c.sid,
    status: c.status,
    subresource_uris: { participants: `${base}/Participants.json`, recordings: `${base}/Recordings.json` },
    uri: `${base}.json`,
  };
}

export function participantJson(c: ConferenceRecord, p: ParticipantRecord): Record<string, unknown> {
  return {
    account_sid: c.accountSid,
    call_sid: p.callSid,
    call_sid_to_coach: null,
    coaching: false,
    conference_sid: c.sid,
    date_created: rfc2822(p.dateCreated),
    date_updated: rfc2822(p.dateUpdated),
    end_conference_on_exit: p.endConferenceOnExit,
    hold: p.hold,
    label: p.label,
    muted: p.muted,
    queue_time: '0',
    start_conference_on_enter: p.startConferenceOnEnter,
    status: p.status,
    uri: `/2010-04-01/Accounts/${c.accountSid}/Conferences/${c.sid}/Participants/${p.callSid}.json`,
  };
}
