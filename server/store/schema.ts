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
  role: 'desk' | 'manager' | 'admin';
  /** The officer's own phone: the desk's "call" button rings it first, then connects the citizen. */
  phone: string | null;
  /** scrypt$N$r$p$salt$hash (base64). */
  password_hash: string;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
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
