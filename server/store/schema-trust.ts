// Tables added by migrations 005 and 005b (server/store/migrations/005_trust.ts, 005b_retention.ts), merged into the Database
// interface of ./schema so every repository sees them.
import type { Selectable } from 'kysely';

export interface IdempotencyKeysTable {
  key_hash: string;
  fingerprint: string;
  status: 'pending' | 'done';
  response_status: number | null;
  /** The first answer's JSON body. */
  response_body: string | null;
  created_at: string;
  completed_at: string | null;
}

/** Migration 005b: what retention has removed from a closed case, and when. */
export interface CaseRetentionTable {
  case_id: string;
  numbers_removed_at: string | null;
  transcripts_removed_at: string | null;
}

/** Migration 005b: the last start of each maintenance run (one worker claims it by moving started_at). */
export interface MaintenanceRunsTable {
  name: string;
  started_at: string;
  started_by: string;
}

declare module './schema' {
  interface Database {
    idempotency_keys: IdempotencyKeysTable;
    case_retention: CaseRetentionTable;
    maintenance_runs: MaintenanceRunsTable;
  }
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
