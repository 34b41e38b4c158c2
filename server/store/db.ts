// Opens the database named by DATABASE_URL (SQLite file or PostgreSQL) and applies migrations.
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type DatabaseConnection, type Driver, type MigrationProvider, type SqliteDialectConfig } from 'kysely';
import { Pool } from 'pg';
import type { Database } from './schema';
import { migrationsFor } from './migrations';
import { startWalCheckpointer } from './wal-checkpointer';

export type Dialect = 'sqlite' | 'postgres';

/**
 * SQLite transactions that take the write lock when they begin. Kysely's plain BEGIN is deferred: two
 * processes that both read and then write deadlock with SQLITE_BUSY at once, whatever busy_timeout says.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/** Statements kept prepared: the app's queries are a few hundred shapes, repeated. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * better-sqlite3 with its prepared statements kept: Kysely's SQLite driver prepares every query afresh, which
 * costs a parse and a plan each time (a fifth of a warning's intake CPU). Least recently used ones are dropped.
 */
export function cachingStatements(db: SqliteDatabase.Database, size = STATEMENT_CACHE_SIZE): SqliteDialectConfig['database'] {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => db.close(),
    prepare(text: string) {
      const hit = cache.get(text);
      // A statement still being iterated cannot run again until it is done: that caller gets its own.
      if (hit && !hit.busy) {
        cache.delete(text);
        cache.set(text, hit);
        return hit;
      }
      const stmt = db.prepare(text);
      if (!hit) {
        cache.set(text, stmt);
        if (cache.size > size) cache.delete(cache.keys().next().value!);
      }
      return stmt;
    },
  };
}

export interface Store {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL schema in use, when not the default. */
  schema?: string;
  close(): Promise<void>;
}

export interface OpenStoreOptions {
  url: string;
  /** PostgreSQL schema to use (created if missing); tests use one per run. */
  schema?: string;
  migrate?: boolean;
  /** Hears connection errors the pool recovers from by itself (a restart or failover); default: nothing is said. */
  onError?: (err: Error) => void;
}

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const { url } = opts;
  let store: Store;
  if (url.startsWith('sqlite://')) {
    const file = url.slice('sqlite://'.length) || ':memory:';
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: cachingStatements(sqlite) }) });
    const checkpointer = file === ':memory:' ? undefined : startWalCheckpointer(sqlite, file, (m) => opts.onError?.(new Error(`WAL checkpoint: ${m}`)));
    store = {
      db,
      dialect: 'sqlite',
      close: async () => {
        await checkpointer?.stop();
        await db.destroy();
      },
    };
  } else {
    const schema = opts.schema;
    if (schema) {
      const admin = new Pool({ connectionString: url, max: 1 });
      try {
        await admin.query(`create schema if not exists "${schema}"`);
      } finally {
        await admin.end();
      }
    }
    const pool = new Pool({
      connectionString: url,
      max: 10,
      // A database that stops answering must not hold a caller for ever waiting for a free connection.
      connectionTimeoutMillis: 10_000,
      ...(schema ? { options: `-c search_path="${schema}"` } : {}),
    });
    // A server restart or failover drops connections. Unhandled, pg's 'error' event would end the process;
    // the query in flight fails on its own and the pool opens a new connection for the next one.
    const onError = (err: Error) => opts.onError?.(err);
    pool.on('error', onError);
    pool.on('connect', (client) => client.on('error', onError));
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', schema, close: () => db.destroy() };
  }
  if (opts.migrate !== false) {
    try {
      await migrate(store);
    } catch (err) {
      await store.close();
      throw err;
    }
  }
  return store;
}

/**
 * Kysely's migrator first lists the tables of every schema (its introspection), and a schema dropped by
 * another process during that query fails it ("relation … does not exist"). Migrations hold this advisory
 * lock shared and a schema drop holds it exclusively, so the two never overlap; migrations still run side
 * by side (Kysely serialises their transactions with its own lock).
 */
const SCHEMA_DDL_LOCK = 7_166_417_561;

export async function migrate(store: Store): Promise<void> {
  const migrations = migrationsFor(store.dialect);
  const provider: MigrationProvider = { getMigrations: async () => migrations };
  // The migration bookkeeping lives in the store's own schema: Kysely would otherwise find another
  // schema's tables on the search path and skip creating its own.
  const run = () => new Migrator({ db: store.db, provider, ...(store.schema ? { migrationTableSchema: store.schema } : {}) }).migrateToLatest();
  const { error, results } = store.dialect === 'postgres' ? await holdingSchemaLockShared(store, run) : await run();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? error}`);
  }
}

/** Drops a PostgreSQL schema (tests clean up after themselves). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const admin = new Pool({ connectionString: url, max: 1 });
  try {
    const client = await admin.connect();
    try {
      await client.query(`select pg_advisory_lock(${SCHEMA_DDL_LOCK})`);
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.query(`select pg_advisory_unlock(${SCHEMA_DDL_LOCK})`);
    } finally {
      client.release();
    }
  } finally {
    await admin.end();
  }
}

export async function ping(store: Store): Promise<void> {
  await sql`select 1`.execute(store.db);
}

/** Runs `work` holding the schema lock shared, on a pooled connection of its own (the lock is the session's). */
function holdingSchemaLockShared<T>(store: Store, work: () => Promise<T>): Promise<T> {
  return store.db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock_shared(${sql.lit(SCHEMA_DDL_LOCK)})`.execute(conn);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock_shared(${sql.lit(SCHEMA_DDL_LOCK)})`.execute(conn);
    }
  });
}
