// Versioned migrations, applied at start. Append only: never edit a migration that has shipped.
import type { Migration } from 'kysely';
import type { Dialect } from '../db';
import * as initial from './001_initial';
import * as people from './002_people';
import * as flowVersions from './003_flow_versions';
import * as nluCorrections from './007_nlu_corrections';
import * as kpis from './009_kpis';
import * as consoles from './006_consoles';
import * as lifecycleOutbox from './004_lifecycle_outbox';
import * as trust from './005_trust';
import * as organisation from './008_organisation';
import * as retention from './005b_retention';

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '001_initial': { up: (db) => initial.up(db, dialect) },
    '002_people': { up: (db) => people.up(db, dialect) },
    '003_flow_versions': { up: (db) => flowVersions.up(db, dialect) },
    '007_nlu_corrections': { up: (db) => nluCorrections.up(db, dialect) },
    '009_kpis': { up: (db) => kpis.up(db, dialect) },
    '006_consoles': { up: (db) => consoles.up(db, dialect) },
    '004_lifecycle_outbox': { up: (db) => lifecycleOutbox.up(db, dialect) },
    '005_trust': { up: (db) => trust.up(db, dialect) },
    '008_organisation': { up: (db) => organisation.up(db, dialect) },
    '005b_retention': { up: (db) => retention.up(db, dialect) },
  };
}
