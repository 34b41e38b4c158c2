// Versioned migrations, applied at start. Append only: never edit a migration that has shipped.
import type { Migration } from 'kysely';
import type { Dialect } from '../db';
import * as initial from './001_initial';

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '001_initial': { up: (db) => initial.up(db, dialect) },
  };
}
