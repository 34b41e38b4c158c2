// Versioned migrations, applied at start. Append only: never edit a migration that has shipped.
import type { Migration } from 'kysely';
import type { Dialect } from '../db';
import * as initial from './001_initial';
import * as people from './002_people';
import * as flowVersions from './003_flow_versions';
import * as trust from './005_trust';
import * as retention from './005b_retention';

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '001_initial': { up: (db) => initial.up(db, dialect) },
    '002_people': { up: (db) => people.up(db, dialect) },
    '003_flow_versions': { up: (db) => flowVersions.up(db, dialect) },
    '005_trust': { up: (db) => trust.up(db, dialect) },
    '005b_retention': { up: (db) => retention.up(db, dialect) },
  };
}
