// Tables added by migration 005 (server/store/migrations/005_trust.ts), merged into the Database
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

declare module './schema' {
  interface Database {
    idempotency_keys: IdempotencyKeysTable;
  }
}

export type IdempotencyKeyRow = Selectable<IdempotencyKeysTable>;
