// Records the local phone network keeps. Everything is plain JSON (dates as ISO strings) so the same
// shapes travel in-process and over the /_control HTTP routes.

export interface PhoneNetworkOptions {
  /** 0 = a random free port (default 0) */
  port?: number;
  /** default 127.0.0.1 */
  host?: string;
  twilio: {
    accountSid: string;
    authToken: string;
    /** where a citizen's SMS to one of "our" numbers is POSTed (the number's Messaging webhook) */
    incomingSmsUrl: string;
    /** where a citizen's call to one of "our" numbers is POSTed (the number's Voice webhook) */
    incomingVoiceUrl: string;
    /** the number's call status callback for incoming calls (default: none, as on a fresh Twilio number) */
    incomingVoiceStatusUrl?: string;
    /** the app's own number, the default "To" when a citizen writes or calls first (default +15005550006) */
    phoneNumber?: string;
  };
  telegram: {
    botToken: string;
    /** default quanzu_local_bot */
    botUsername?: string;
    /** delay before a failed webhook delivery is retried, ms (default 1000) */
    retryMs?: number;
  };
  /** how long a simulated phone rings before no-answer, ms (default 3000; tests use small values) */
  ringMs?: number;
  /** how long a <Gather> waits for the citizen, ms (default: the Gather's own timeout, 5 s as on Twilio) */
  gatherTimeoutMs?: number;
  /** pause between SMS status steps queued → sent → delivered, ms (default 10) */
  smsStepMs?: number;
  /**
   * The centre's desk phones (the app's TWILIO_DESK_NUMBER, officers' own phones): listed on the citizen page from
   * the start, so a person can answer the desk's "call the citizen" there (default none).
   */
  deskPhones?: string[];
}

export type CallBehaviour = 'manual' | 'answer' | 'no-answer' | 'busy' | 'voicemail' | 'reject' | 'fail';

/**
 * 'timeout': the request is dropped unanswered. 'accepted-timeout': Twilio acts on it (the SMS goes, the call
 * rings) but the answer never comes back — the case where a retry would contact the person twice.
 * 502 / 504: a load balancer in front of the API answers instead (HTML body), nothing was done.
 * 'accepted-500' / 'accepted-502': the request was carried out, then the answer was lost to a 5xx on the way
 * back (the provider failed after processing, or a load balancer gave up on a slow answer).
 */
export type FaultKind = 500 | 502 | 503 | 504 | 429 | 'timeout' | 'accepted-timeout' | 'accepted-500' | 'accepted-502';

/** Faults that are answered only after the request was carried out. */
export const AFTER_PROCESSING: readonly FaultKind[] = ['accepted-timeout', 'accepted-500', 'accepted-502'];

/** How the "phone" behind a number acts. Unset fields keep their defaults. */
export interface Behaviour {
  /**
   * What happens when this number is called (default 'manual': it rings until someone answers on the page
   * or through the control API, else no-answer after ringMs). 'answer' answers as a human after
   * answerAfterMs; 'voicemail' answers as a machine; 'reject' declines while ringing (Twilio reports busy).
   */
  call?: CallBehaviour;
  /** default 20 */
  answerAfterMs?: number;
  /** final state of SMS to this number (default 'delivered') */
  sms?: 'delivered' | 'undelivered' | 'failed';
  /** ErrorCode on the undelivered/failed callback (default 30003 undelivered, 30008 failed) */
  smsErrorCode?: number;
  /** the API refuses requests to this number with this Twilio error (e.g. 21211, 21610, 21614) */
  apiError?: { code: number; message?: string; status?: number; for?: 'sms' | 'call' | 'both' };
  /** the API answers the next `count` requests addressed to this number with a fault */
  apiFault?: { kind: FaultKind; count: number };
  /** the citizen has opted out (as after replying STOP): SMS to this number fail with 21610 */
  optedOut?: boolean;
}

export interface TelegramBehaviour {
  /** the user blocked the bot: 403 "Forbidden: bot was blocked by the user" */
  blocked?: boolean;
  /** the user never opened the bot: 403 "Forbidden: bot can't initiate conversation with a user" */
  neverStarted?: boolean;
}

export interface FaultSpec {
  target: 'twilio' | 'telegram';
  kind: FaultKind;
  /** how many requests get the fault (default 1) */
  count?: number;
  /** only requests whose path contains this (e.g. "Messages", "Calls", "sendMessage") */
  pathContains?: string;
}

export type SmsStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'undelivered' | 'failed' | 'received';

export interface SmsRecord {
  seq: number;
  sid: string;
  accountSid: string;
  direction: 'outbound-api' | 'outbound-reply' | 'inbound';
  from: string;
  to: string;
  body: string;
  numSegments: number;
  status: SmsStatus;
  errorCode: number | null;
  errorMessage: string | null;
  statusCallback: string | null;
  dateCreated: string;
  dateUpdated: string;
  dateSent: string | null;
}

export type CallStatus =
  | 'queued'
  | 'initiated'
  | 'ringing'
  | 'in-progress'
  | 'completed'
  | 'busy'
  | 'no-answer'
  | 'failed'
  | 'canceled';

export type CallEvent =
  | { at: string; kind: 'say'; text: string; language: string | null; voice: string | null; loop: number }
  | { at: string; kind: 'play'; url: string }
  | { at: string; kind: 'pause'; seconds: number }
  | { at: string; kind: 'gather'; input: string[]; language: string; hints: string | null }
  | { at: string; kind: 'input'; speech: string | null; confidence: number | null; digits: string | null }
  | { at: string; kind: 'no-input' }
  | { at: string; kind: 'dial'; number: string; status: string }
  | { at: string; kind: 'redirect'; url: string }
  | { at: string; kind: 'status'; status: CallStatus }
  | { at: string; kind: 'hangup'; by: 'app' | 'citizen' | 'network' }
  | { at: string; kind: 'error'; code: number; message: string };

export interface GatherPrompt {
  callSid: string;
  /** e.g. ["speech", "dtmf"] */
  input: string[];
  language: string;
  hints: string | null;
  action: string;
  numDigits: number | null;
  timeoutSeconds: number;
  /** what was said since the last answer, in order */
  prompt: string[];
  /** Twilio warnings about this Gather (e.g. 13512 invalid language: speech would not be recognised) */
  warnings: { code: number; message: string }[];
}

export interface CallRecord {
  seq: number;
  sid: string;
  accountSid: string;
  direction: 'outbound-api' | 'inbound';
  from: string;
  to: string;
  status: CallStatus;
  answeredBy: string | null;
  machineDetection: string | null;
  url: string | null;
  twiml: string | null;
  statusCallback: string | null;
  statusCallbackEvents: string[];
  dateCreated: string;
  dateUpdated: string;
  startTime: string | null;
  endTime: string | null;
  duration: number | null;
  transcript: CallEvent[];
  /** set while the call waits at a <Gather> for the citizen */
  gather: GatherPrompt | null;
  /** the number a <Dial> connected the citizen to (e.g. the desk), null when not connected */
  connectedTo: string | null;
  dialed: { number: string; status: string; at: string }[];
  /** Twilio errors and warnings raised while running this call's TwiML (11200, 12100, 13512, …) */
  errors: { code: number; message: string }[];
  /** answered by voicemail: what was left on it */
  voicemail: string[] | null;
}

export interface TelegramButton {
  text: string;
  callbackData?: string;
  url?: string;
  requestContact?: boolean;
}

export interface TelegramMessageRecord {
  seq: number;
  chatId: number;
  messageId: number;
  from: 'bot' | 'citizen';
  date: string;
  text: string | null;
  parseMode: string | null;
  contact: { phoneNumber: string; firstName: string; userId: number } | null;
  /** inline keyboard rows (buttons carry callbackData) */
  inlineKeyboard: TelegramButton[][] | null;
  /** reply keyboard rows shown under the input box */
  replyKeyboard: TelegramButton[][] | null;
  removeKeyboard: boolean;
  editedAt: string | null;
  /** raw Bot API message object as last returned */
  raw: Record<string, unknown>;
}

export interface TelegramChatRecord {
  chatId: number;
  firstName: string;
  username: string | null;
  languageCode: string;
  /** phone number shared with the bot via the contact button, or linked by control */
  phone: string | null;
  /** toasts/alerts the bot showed after button presses */
  callbackAnswers: { callbackQueryId: string; text: string | null; showAlert: boolean; at: string }[];
}

export interface CallbackLogEntry {
  id: number;
  at: string;
  provider: 'twilio' | 'telegram';
  kind:
    | 'sms-status'
    | 'incoming-sms'
    | 'call-status'
    | 'amd-status'
    | 'voice-url'
    | 'gather-action'
    | 'dial-action'
    | 'record-action'
    | 'recording-status'
    | 'redirect'
    | 'incoming-voice'
    | 'telegram-update'
    | 'conference-status';
  method: 'POST' | 'GET';
  url: string;
  /** form params (Twilio) or the update object (Telegram) */
  params: Record<string, unknown>;
  headers: Record<string, string>;
  /** the HTTP status the app answered, 0 when the request failed (connection refused, timeout) */
  status: number;
  error: string | null;
  responseBody: string;
  /** CallSid / MessageSid / update_id this callback is about */
  ref: string;
  /** true for a deliberate re-delivery through the control API */
  redelivery: boolean;
}

export type InboxItem =
  | { seq: number; at: string; channel: 'sms'; direction: 'to-citizen' | 'from-citizen'; peer: string; text: string; status: SmsStatus; ref: string }
  | { seq: number; at: string; channel: 'telegram'; direction: 'to-citizen' | 'from-citizen'; peer: string; text: string; status: 'delivered'; ref: string; chatId: number; messageId: number; inlineKeyboard: TelegramButton[][] | null }
  | { seq: number; at: string; channel: 'voicemail'; direction: 'to-citizen'; peer: string; text: string; status: 'delivered'; ref: string };

export interface NumberSummary {
  /** a phone number, or "tg:<chatId>" for a Telegram chat with no phone linked */
  key: string;
  phone: string | null;
  telegramChatIds: number[];
  sms: number;
  calls: number;
  telegram: number;
  ringing: boolean;
  waitingGather: boolean;
  lastActivity: string;
  behaviour: Behaviour;
  /** one of the desk phones given in the options */
  desk: boolean;
}

export interface ApiRequestLogEntry {
  at: string;
  provider: 'twilio' | 'telegram';
  method: string;
  /** the path with any bot token masked */
  path: string;
  /** HTTP status answered; 0 when the request was held without answer (timeout fault) */
  status: number;
  fault: FaultKind | null;
}

/** A call recording (record=true on the call): Twilio keeps it until it is deleted through the API. */
export interface RecordingRecord {
  sid: string;
  accountSid: string;
  callSid: string;
  status: 'in-progress' | 'completed' | 'absent' | 'failed';
  channels: 1 | 2;
  dateCreated: string;
  dateUpdated: string;
  startTime: string;
  /** whole seconds, once completed */
  duration: number | null;
  /** set when the app deleted it (DELETE /Recordings/{sid}.json); its media is gone from then on */
  deletedAt: string | null;
}

export type ConferenceStatus = 'init' | 'in-progress' | 'completed';
export type ParticipantStatus = 'queued' | 'connecting' | 'ringing' | 'connected' | 'complete' | 'failed';

/** One call's place in a conference: added by the Participants API or by <Dial><Conference> TwiML. */
export interface ParticipantRecord {
  callSid: string;
  /** the number the participant's call went to (or came from) */
  number: string;
  label: string | null;
  status: ParticipantStatus;
  muted: boolean;
  hold: boolean;
  startConferenceOnEnter: boolean;
  endConferenceOnExit: boolean;
  dateCreated: string;
  dateUpdated: string;
  joinedAt: string | null;
  leftAt: string | null;
  /** why the participant left: participant_hung_up, participant_was_kicked, conference_ended, call_not_answered */
  leftBecause: string | null;
}

export interface ConferenceRecord {
  seq: number;
  sid: string;
  accountSid: string;
  friendlyName: string;
  status: ConferenceStatus;
  dateCreated: string;
  dateUpdated: string;
  reasonConferenceEnded: string | null;
  callSidEndingConference: string | null;
  statusCallback: string | null;
  statusCallbackMethod: 'POST' | 'GET';
  /** the events asked for, as TwiML spells them: start end join leave mute hold */
  statusCallbackEvents: string[];
  /** every participant it ever had, in the order they were added */
  participants: ParticipantRecord[];
}
