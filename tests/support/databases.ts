// The storage engines every storage test runs against: a fresh SQLite file and a fresh PostgreSQL schema.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { dropSchema, openStore, type Store } from '../../server/store/db';

export const PG_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export const uniqueSuffix = (): string => `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;

export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** DATABASE_URL and DATABASE_SCHEMA for a process under test. */
  env: { DATABASE_URL: string; DATABASE_SCHEMA?: string };
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

export function sqliteDatabase(): TestDatabase {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-test-'));
  const url = `sqlite://${path.join(dir, 'test.sqlite')}`;
  return {
    engine: 'sqlite',
    env: { DATABASE_URL: url },
    open: () => openStore({ url }),
    cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export function postgresDatabase(): TestDatabase {
  const schema = `qz_test_${uniqueSuffix()}`;
  return {
    engine: 'postgres',
    env: { DATABASE_URL: PG_URL, DATABASE_SCHEMA: schema },
    open: () => openStore({ url: PG_URL, schema }),
    cleanup: () => dropSchema(PG_URL, schema),
  };
}

export const ENGINES: [string, () => TestDatabase][] = [
  ['sqlite', sqliteDatabase],
  ['postgres', postgresDatabase],
];
