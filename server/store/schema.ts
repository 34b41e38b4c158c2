// Table shapes as Kysely sees them. Timestamps are ISO-8601 UTC strings in both engines, so they sort
// and compare the same on SQLite and PostgreSQL; JSON columns are text.
import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface WarningsTable {
  id: string;
  source: string;
  external_id: string;
  case_id: string;
  phone: string;
  name: string | null;
  locale: string | null;
  scam_type: string;
  risk_level: string;
  signals: string; // JSON string[]
  amount: number | null;
  relatives: string; // JSON {phone, relation}[]
  precinct: string | null;
  telegram_chat_id: string | null;
  /** Organisation (008): the district or station code the warning named, and the address it gave. */
  unit_code: string | null;
  address: string | null;
  received_at: string;
  created_at: string;
  /** The upstream's scam type when it is not one of ours (the warning is worked as `other`). */
  upstream_scam_type: string | null;
}

export interface CasesTable {
  id: string;
  case_ref: string;
  phone: string;
  status: 'open' | 'closed';
  name: string | null;
  locale: string;
  scam_type: string;
  risk_level: string;
  warning_count: number;
  amount: number | null;
  precinct: string | null;
  telegram_chat_id: string | null;
  relatives: string; // JSON
  /** Conversation state (flows/engine ConversationState) as JSON; null before the first contact. */
  conversation: string | null;
  flow_id: string | null;
  flow_version: number | null;
  /** The channel of the live conversation, if any. */
  active_channel: string | null;
  /** The case's next action (its earliest lifecycle timer) and when; written only by server/cases/outbox.ts. */
  next_action: string | null;
  next_action_at: string | null;
  /** Contact plan of cases written before the lifecycle existed (JSON); read once to derive their lifecycle. */
  plan: string | null;
  /** The lifecycle state (server/cases/lifecycle.ts LifecycleState) as JSON; null on cases from before it. */
  lifecycle: string | null;
  opted_out: number;
  outcome: string | null;
  opened_at: string;
  updated_at: string;
  closed_at: string | null;
  /** Organisation (008): the unit whose queue holds the case, how routing placed it there, and the address. */
  unit_id: string | null;
  routing: 'code' | 'address' | 'default' | 'unrouted' | 'moved' | null;
  routing_hint: string | null;
  address: string | null;
}

export interface ContactAttemptsTable {
  id: string;
  case_id: string;
  channel: string;
  target: string; // phone or chat id
  to_relative: number;
  attempt_no: number;
  /** Idempotency key: the same logical attempt is never sent twice. */
  dedupe_key: string;
  provider_id: string | null;
  status: string;
  error_code: string | null;
  detail: string | null;
  created_at: string;
  updated_at: string;
}

export interface MessagesTable {
  id: string;
  case_id: string;
  direction: 'in' | 'out';
  channel: string;
  body: string;
  flow_id: string | null;
  flow_version: number | null;
  state_id: string | null;
  intent: string | null;
  confidence: number | null;
  at_risk: number | null;
  /** Full classification JSON (intent, confidence, cues, payment, model version). */
  classification: string | null;
  /** Outbound: the channel rendering (JSON) that was or will be sent. */
  payload: string | null;
  /** Provider message id once sent; 'sending:…' while a worker holds it. */
  provider_id: string | null;
  author: string | null;
  created_at: string;
}

export interface HandoffsTable {
  id: string;
  case_id: string;
  reason: string;
  priority: number;
  status: 'open' | 'claimed' | 'resolved';
  note: string | null;
  claimed_by: string | null;
  claimed_at: string | null;
  resolved_at: string | null;
  outcome: string | null;
  outcome_detail: string | null;
  sla_due_at: string;
  escalated_at: string | null;
  created_at: string;
  /** Organisation (008): 'review' for the second review (二次研判), else 'dissuasion'; who assigned the claim. */
  kind: Generated<'dissuasion' | 'review'>;
  assigned_by: string | null;
}

export type OutboxStatus = 'pending' | 'sending' | 'unconfirmed' | 'sent' | 'failed' | 'cancelled';

/** Every outbound effect: written with the decision, sent by the relay at most once. */
export interface OutboxTable {
  id: string;
  case_id: string;
  kind: 'call' | 'message';
  channel: string;
  purpose: 'warning' | 'callback' | 'follow_up' | 'prompt' | 'desk' | 'relative';
  target: string;
  attempt_id: string | null;
  message_id: string | null;
  payload: string | null;
  status: OutboxStatus;
  due_at: string;
  claim_token: string | null;
  claimed_at: string | null;
  tries: number;
  provider_id: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuditEventsTable {
  id: Generated<number>;
  case_id: string | null;
  actor: string;
  action: string;
  detail: string | null;
  created_at: string;
}

export interface ProviderEventsTable {
  key: string;
  created_at: string;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string | null;
  role: 'desk' | 'station' | 'manager' | 'admin';
  /** The officer's own phone: the desk's "call" button rings it first, then connects the citizen. */
  phone: string | null;
  /** scrypt$N$r$p$salt$hash (base64). */
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  /** Organisation (008): the person's unit and role in it; null = the default unit, role from `role`. */
  unit_id: string | null;
  unit_role: 'desk_officer' | 'supervisor' | 'station_officer' | 'manager' | 'admin' | null;
  /** Most handoffs the person holds at once (auto-assignment stops there); null = the centre's default. */
  capacity: number | null;
  presence: Generated<'online' | 'away'>;
  presence_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  ip: string | null;
  user_agent: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface LoginAttemptsTable {
  /** "ip|username" */
  key: string;
  at: string;
}

export interface FlowVersionsTable {
  id: Generated<number>;
  flow_id: string;
  version: number;
  /** 'draft' (the one editable version per flow) or 'saved' (published once or seeded; never changed again). */
  status: 'draft' | 'saved';
  title: string;
  yaml: string;
  source: 'seed' | 'console';
  created_by: string;
  created_at: string;
  updated_at: string;
  published_by: string | null;
  published_at: string | null;
}

export interface FlowHeadsTable {
  flow_id: string;
  published_version: number;
  updated_by: string;
  updated_at: string;
}

/** A desk officer's correction of the classifier on one citizen message (migration 007). */
export interface IntentCorrectionsTable {
  id: string;
  message_id: string;
  case_id: string;
  /** The message as the citizen sent it (or as speech recognition heard it). */
  text: string;
  locale: string;
  channel: string;
  intent: string;
  /** What the classifier said: the message's stored intent. */
  previous_intent: string | null;
  /** The model version that classified the message. */
  model_version: string | null;
  note: string | null;
  corrected_by: string;
  corrected_at: string;
  /** Only 'approved' corrections are trained on (npm run train -- --with-corrections). */
  review: 'pending' | 'approved' | 'rejected';
  reviewed_by: string | null;
  reviewed_at: string | null;
}

/** A loss reported to the police, matched by phone to a person we warned (issue 18). */
export interface FraudReportsTable {
  id: string;
  source: string;
  external_id: string;
  phone: string;
  /** When the loss happened. */
  occurred_at: string;
  amount: number | null;
  scam_type: string;
  scam_type_given: string | null;
  /** The warned person's case; null when the number was never warned before the loss. */
  case_id: string | null;
  /** The latest warning of that case at or before the loss. */
  warning_at: string | null;
  /** The already_paid handoff the report opened on an open case. */
  handoff_id: string | null;
  received_by: string;
  received_at: string;
}

export interface ScriptTrialsTable {
  id: string;
  flow_id: string;
  version_a: number;
  version_b: number;
  split_b: number;
  /** JSON TrialStopRule. */
  stop_rule: string;
  alpha: number;
  status: 'running' | 'closed' | 'stopped';
  note: string | null;
  started_by: string;
  started_at: string;
  closed_at: string | null;
  stopped_by: string | null;
  stopped_at: string | null;
  decision: 'published_a' | 'published_b' | 'kept_current' | null;
  published_version: number | null;
}

export interface TrialAssignmentsTable {
  case_id: string;
  trial_id: string;
  arm: 'A' | 'B';
  flow_id: string;
  flow_version: number;
  assigned_at: string;
}

export interface CallRecordingsTable {
  id: string;
  case_id: string;
  attempt_id: string | null;
  call_sid: string;
  recording_sid: string;
  status: string;
  duration_seconds: number | null;
  channels: number | null;
  media_url: string | null;
  started_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface QaReviewsTable {
  id: string;
  case_id: string;
  reviewer: string;
  /** JSON Record<criterion, 0 | 1 | 2 | null>. */
  scores: string;
  /** Points given / points possible over the criteria that apply, 0 … 1. */
  score: number;
  comment: string | null;
  recording_id: string | null;
  training_example: number;
  training_message_id: string | null;
  training_intent: string | null;
  created_at: string;
  updated_at: string;
}

export interface UserPreferencesTable {
  user_id: string;
  /** The console language the person chose (web/i18n UI_LOCALES). */
  locale: string;
  alert_sound: number;
  alert_desktop: number;
  updated_at: string;
}

/** Internal notes on a case: staff only, never sent to the citizen; append-only. */
export interface CaseNotesTable {
  id: string;
  case_id: string;
  author: string;
  body: string;
  created_at: string;
}

/** The desk's canned replies, per citizen language, with {placeholders} filled per case. */
export interface CannedRepliesTable {
  id: string;
  locale: string;
  title: string;
  body: string;
  position: number;
  updated_by: string;
  updated_at: string;
}

export interface UnitsTable {
  id: string;
  code: string;
  kind: 'city' | 'district' | 'station';
  parent_id: string | null;
  name_zh: string;
  name_en: string;
  /** JSON string[]: other names an address may use for this unit. */
  aliases: string;
  is_default: number;
  source: 'file' | 'admin';
  retired_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface VisitTasksTable {
  id: string;
  case_id: string;
  /** The police station that goes to the door. */
  unit_id: string;
  handoff_id: string | null;
  status: 'assigned' | 'accepted' | 'on_the_way' | 'reported' | 'cancelled';
  risk_level: string;
  deadline_at: string;
  summary: string;
  address: string | null;
  relatives: string;
  reason: string | null;
  requested_by: string;
  accepted_by: string | null;
  accepted_at: string | null;
  on_the_way_at: string | null;
  reported_by: string | null;
  reported_at: string | null;
  result: 'met_dissuaded' | 'not_home' | 'refused' | 'already_paid' | 'wrong_person' | null;
  result_note: string | null;
  escalated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StopPaymentRequestsTable {
  id: string;
  case_id: string;
  handoff_id: string | null;
  unit_id: string | null;
  status: 'requested' | 'confirmed' | 'frozen' | 'refused' | 'amount_returned';
  amount: number;
  currency: string;
  method: string;
  account: string;
  paid_at: string;
  bank_code: string | null;
  first_mentioned_at: string | null;
  requested_by: string;
  requested_at: string;
  status_by: string | null;
  status_at: string | null;
  returned_amount: number | null;
  bank_reference: string | null;
  note: string | null;
  conference_name: string | null;
  conference_sid: string | null;
  created_at: string;
  updated_at: string;
}

export interface Database {
  warnings: WarningsTable;
  cases: CasesTable;
  contact_attempts: ContactAttemptsTable;
  messages: MessagesTable;
  handoffs: HandoffsTable;
  audit_events: AuditEventsTable;
  provider_events: ProviderEventsTable;
  outbox: OutboxTable;
  users: UsersTable;
  sessions: SessionsTable;
  login_attempts: LoginAttemptsTable;
  flow_versions: FlowVersionsTable;
  flow_heads: FlowHeadsTable;
  intent_corrections: IntentCorrectionsTable;
  fraud_reports: FraudReportsTable;
  script_trials: ScriptTrialsTable;
  trial_assignments: TrialAssignmentsTable;
  call_recordings: CallRecordingsTable;
  qa_reviews: QaReviewsTable;
  user_preferences: UserPreferencesTable;
  case_notes: CaseNotesTable;
  canned_replies: CannedRepliesTable;
  units: UnitsTable;
  visit_tasks: VisitTasksTable;
  stop_payment_requests: StopPaymentRequestsTable;
}

export type WarningRow = Selectable<WarningsTable>;
export type CaseRow = Selectable<CasesTable>;
export type NewCase = Insertable<CasesTable>;
export type CaseUpdate = Updateable<CasesTable>;
export type AttemptRow = Selectable<ContactAttemptsTable>;
export type MessageRow = Selectable<MessagesTable>;
export type HandoffRow = Selectable<HandoffsTable>;
export type AuditRow = Selectable<AuditEventsTable>;
export type OutboxRow = Selectable<OutboxTable>;
export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type FlowVersionRow = Selectable<FlowVersionsTable>;
export type FlowHeadRow = Selectable<FlowHeadsTable>;
export type IntentCorrectionRow = Selectable<IntentCorrectionsTable>;
export type FraudReportRow = Selectable<FraudReportsTable>;
export type ScriptTrialRow = Selectable<ScriptTrialsTable>;
export type TrialAssignmentRow = Selectable<TrialAssignmentsTable>;
export type CallRecordingRow = Selectable<CallRecordingsTable>;
export type QaReviewRow = Selectable<QaReviewsTable>;
export type UserPreferencesRow = Selectable<UserPreferencesTable>;
export type CaseNoteRow = Selectable<CaseNotesTable>;
export type CannedReplyRow = Selectable<CannedRepliesTable>;
export type UnitRow = Selectable<UnitsTable>;
export type VisitTaskRow = Selectable<VisitTasksTable>;
export type StopPaymentRequestRow = Selectable<StopPaymentRequestsTable>;
