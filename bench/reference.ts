// The reference: the least work that quanzu's production path cannot do without, on the same stack, so the
// bench can say how far quanzu is from this machine's limit in the same run (absolute numbers on a shared
// 2-core machine are noise; ratios to this are not).
//
// Intake: express + JSON body, a Bearer key, zod and libphonenumber validation, one transaction (duplicate
// check by source + externalId, the warning row, one open case per phone), a bull add, 202.
// Dispatch: a bull worker posts the warning SMS to the provider (the local phone network's Twilio API)
// with the twilio library.
//
//   node --import tsx bench/reference.ts --role all|web|worker
//
// Reads the same environment as quanzu (PORT, DATABASE_URL, DATABASE_SCHEMA, REDIS_URL, QUEUE_PREFIX,
// TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM, TWILIO_API_BASE) plus INTAKE_KEY. Never product code.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import Queue from 'bull';
import SqliteDatabase from 'better-sqlite3';
import { Pool, type PoolClient } from 'pg';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { createTwilioClient } from '../bots/twilio-client';

export const REFERENCE_READY = { web: 'reference web listening', worker: 'reference worker started', all: 'reference worker started' } as const;

const warningSchema = z.object({
  source: z.string().trim().min(1).max(100),
  externalId: z.string().trim().min(1).max(200),
  phone: z.string().max(40),
  name: z.string().trim().max(100).optional().nullable(),
  scamType: z.string().max(40).optional().nullable(),
  riskLevel: z.enum(['low', 'medium', 'high']).optional().nullable(),
  amount: z.number().finite().min(0).max(1e12).optional().nullable(),
});
type Warning = z.infer<typeof warningSchema> & { e164: string };
type Result = { status: 'accepted'; caseId: string; newCase: boolean } | { status: 'duplicate'; caseId: string } | { status: 'rejected'; reason: string };

interface Store {
  /** One transaction for all the warnings of a request. */
  intake(ws: Warning[]): Promise<Result[]>;
  close(): Promise<void>;
}

const CASES_DDL = `create table if not exists ref_cases (id text primary key, phone text not null, status text not null, warning_count integer not null, risk_level text not null, amount double precision, opened_at text not null)`;
const ONE_OPEN_DDL = `create unique index if not exists ref_cases_one_open on ref_cases (phone) where status = 'open'`;
const WARNINGS_DDL = `create table if not exists ref_warnings (id text primary key, source text not null, external_id text not null, case_id text not null, phone text not null, scam_type text, risk_level text, amount double precision, received_at text not null, unique (source, external_id))`;

function sqliteStore(file: string): Store {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new SqliteDatabase(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const ddl of [CASES_DDL, ONE_OPEN_DDL, WARNINGS_DDL]) db.exec(ddl);
  const findWarning = db.prepare<[string, string], { case_id: string }>('select case_id from ref_warnings where source = ? and external_id = ?');
  const findOpen = db.prepare<[string], { id: string }>("select id from ref_cases where phone = ? and status = 'open'");
  const bump = db.prepare('update ref_cases set warning_count = warning_count + 1 where id = ?');
  const insertCase = db.prepare("insert into ref_cases (id, phone, status, warning_count, risk_level, amount, opened_at) values (?, ?, 'open', 1, ?, ?, ?)");
  const insertWarning = db.prepare('insert into ref_warnings (id, source, external_id, case_id, phone, scam_type, risk_level, amount, received_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const run = db.transaction((ws: Warning[]): Result[] =>
    ws.map((w) => {
      const seen = findWarning.get(w.source, w.externalId);
      if (seen) return { status: 'duplicate', caseId: seen.case_id };
      const now = new Date().toISOString();
      const open = findOpen.get(w.e164);
      const caseId = open?.id ?? randomUUID();
      if (open) bump.run(caseId);
      else insertCase.run(caseId, w.e164, w.riskLevel ?? 'medium', w.amount ?? null, now);
      insertWarning.run(randomUUID(), w.source, w.externalId, caseId, w.e164, w.scamType ?? null, w.riskLevel ?? 'medium', w.amount ?? null, now);
      return { status: 'accepted', caseId, newCase: !open };
    }),
  );
  return { intake: async (ws) => run(ws), close: async () => void db.close() };
}

async function postgresStore(url: string, schema: string | undefined): Promise<Store> {
  const pool = new Pool({ connectionString: url, max: 10, ...(schema ? { options: `-c search_path="${schema}"` } : {}) });
  pool.on('error', () => undefined);
  if (schema) await pool.query(`create schema if not exists "${schema}"`);
  for (const ddl of [CASES_DDL, ONE_OPEN_DDL, WARNINGS_DDL]) await pool.query(ddl);
  const one = async (c: PoolClient, w: Warning): Promise<Result> => {
    const seen = await c.query<{ case_id: string }>('select case_id from ref_warnings where source = $1 and external_id = $2', [w.source, w.externalId]);
    if (seen.rows[0]) return { status: 'duplicate', caseId: seen.rows[0].case_id };
    const now = new Date().toISOString();
    const open = await c.query<{ id: string }>("select id from ref_cases where phone = $1 and status = 'open' for update", [w.e164]);
    const caseId = open.rows[0]?.id ?? randomUUID();
    if (open.rows[0]) await c.query('update ref_cases set warning_count = warning_count + 1 where id = $1', [caseId]);
    else await c.query("insert into ref_cases (id, phone, status, warning_count, risk_level, amount, opened_at) values ($1, $2, 'open', 1, $3, $4, $5)", [caseId, w.e164, w.riskLevel ?? 'medium', w.amount ?? null, now]);
    await c.query('insert into ref_warnings (id, source, external_id, case_id, phone, scam_type, risk_level, amount, received_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9)', [
      randomUUID(), w.source, w.externalId, caseId, w.e164, w.scamType ?? null, w.riskLevel ?? 'medium', w.amount ?? null, now,
    ]);
    return { status: 'accepted', caseId, newCase: !open.rows[0] };
  };
  return {
    async intake(ws) {
      // A unique-constraint race with a concurrent request for the same person is retried once.
      for (let attempt = 0; ; attempt++) {
        const c = await pool.connect();
        try {
          await c.query('begin');
          const out: Result[] = [];
          for (const w of ws) out.push(await one(c, w));
          await c.query('commit');
          return out;
        } catch (err) {
          await c.query('rollback').catch(() => undefined);
          if (attempt >= 1 || (err as { code?: string }).code !== '23505') throw err;
        } finally {
          c.release();
        }
      }
    },
    close: () => pool.end(),
  };
}

function validate(raw: unknown): { ok: true; w: Warning } | { ok: false; reason: string } {
  const p = warningSchema.safeParse(raw);
  if (!p.success) return { ok: false, reason: p.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  const phone = parsePhoneNumberFromString(p.data.phone, 'CN');
  if (!phone?.isValid()) return { ok: false, reason: 'phone: not a valid number' };
  return { ok: true, w: { ...p.data, e164: phone.number } };
}

interface SmsJob {
  caseId: string;
  phone: string;
}

const SMS_TEXT = '【市反诈中心】您好，我们是市反诈中心。您可能正在接触电信网络诈骗，请勿向任何陌生人转账。如有疑问请拨打96110。';

async function main(): Promise<void> {
  const i = process.argv.indexOf('--role');
  const role = (i >= 0 ? process.argv[i + 1] : 'all') as keyof typeof REFERENCE_READY;
  if (!(role in REFERENCE_READY)) throw new Error(`--role must be web, worker or all; got "${role}"`);
  const env = process.env;
  const need = (k: string): string => env[k] ?? (() => { throw new Error(`${k} is required`); })();
  const dbUrl = need('DATABASE_URL');
  const store = dbUrl.startsWith('sqlite://') ? sqliteStore(dbUrl.slice('sqlite://'.length)) : await postgresStore(dbUrl, env.DATABASE_SCHEMA);
  const queue = new Queue<SmsJob>('reference-sms', need('REDIS_URL'), { prefix: `${need('QUEUE_PREFIX')}:ref` });

  if (role !== 'worker') {
    const key = `Bearer ${need('INTAKE_KEY')}`;
    const app = express();
    app.use(express.json({ limit: '2mb', strict: false }));
    app.post('/api/warnings', async (req, res) => {
      if (req.headers.authorization !== key) return void res.status(401).json({ error: 'unauthorized' });
      const body = req.body as { warnings?: unknown[] } | undefined;
      const batch = Array.isArray(body?.warnings);
      const items = batch ? body!.warnings! : [body];
      if (items.length === 0 || items.length > 1000) return void res.status(400).json({ error: 'validation_error', message: 'warnings: 1 to 1000' });
      const results: Result[] = new Array(items.length);
      const valid: Warning[] = [];
      const at: number[] = [];
      items.forEach((raw, k) => {
        const v = validate(raw);
        if (v.ok) {
          valid.push(v.w);
          at.push(k);
        } else results[k] = { status: 'rejected', reason: v.reason };
      });
      if (!batch && valid.length === 0) return void res.status(400).json({ error: 'validation_error', message: (results[0] as { reason: string }).reason });
      const stored = valid.length ? await store.intake(valid) : [];
      stored.forEach((r, k) => (results[at[k]!] = r));
      const jobs = stored.flatMap((r, k) => (r.status === 'accepted' && r.newCase ? [{ data: { caseId: r.caseId, phone: valid[k]!.e164 }, opts: { jobId: r.caseId, removeOnComplete: true } }] : []));
      if (jobs.length === 1) await queue.add(jobs[0]!.data, jobs[0]!.opts);
      else if (jobs.length) await queue.addBulk(jobs);
      res.status(202).json(batch ? { results } : results[0]);
    });
    await new Promise<void>((resolve, reject) => {
      // express 5 hands a bind error to the callback: a taken port must fail the reference, not hang it.
      app.listen(Number(env.PORT ?? 3100), '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve()));
    });
    process.stdout.write(`${REFERENCE_READY.web}\n`);
  }
  if (role !== 'web') {
    const twilio = createTwilioClient(need('TWILIO_ACCOUNT_SID'), need('TWILIO_AUTH_TOKEN'), env.TWILIO_API_BASE);
    const from = need('TWILIO_FROM');
    void queue.process(16, async (job) => {
      const m = await twilio.messages.create({ to: job.data.phone, from, body: SMS_TEXT });
      return m.sid;
    });
    await queue.isReady();
    process.stdout.write(`${REFERENCE_READY.worker}\n`);
  }
  const stop = async () => {
    await queue.close().catch(() => undefined);
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
}

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(`reference: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
