// SQLite's WAL is copied back by the checkpointing thread, not by the COMMIT that crosses SQLite's threshold: the
// log stops growing while the app writes, and a closed store leaves everything in the database file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openStore } from '../../server/store/db';
import { insertCase } from '../../server/store/repositories/cases';
import { newCaseRef, newId, nowIso } from '../../server/store/ids';

describe('the WAL checkpointing thread', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'quanzu-wal-'));
  const file = path.join(dir, 'quanzu.db');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('keeps the log short while the app writes (the thread copies it back), and leaves every row in the file at close', async () => {
    const store = await openStore({ url: `sqlite://${file}` });
    const now = nowIso();
    const relatives = JSON.stringify([{ note: 'x'.repeat(4000) }]);
    const batches = 20;
    const perBatch = 100;
    let largestLog = 0;
    for (let b = 0; b < batches; b++) {
      await store.db.transaction().execute(async (trx) => {
        for (let i = 0; i < perBatch; i++) {
          await insertCase(trx, { id: newId(), case_ref: newCaseRef(), phone: `+86138${String(10_000_000 + b * perBatch + i)}`, status: 'closed', locale: 'zh', scam_type: 'loan', risk_level: 'medium', warning_count: 1, relatives, opted_out: 0, opened_at: now, updated_at: now });
        }
      });
      largestLog = Math.max(largestLog, fs.statSync(`${file}-wal`).size);
      await new Promise((r) => setTimeout(r, 350));
    }
    // About 8 MB was written. Never checkpointed, the log would hold all of it; SQLite's own checkpoint would
    // let it reach its 1,000-page threshold (4 MB); the thread keeps it near one batch.
    expect(largestLog).toBeLessThan(3 * 1024 * 1024);
    await store.close();
    const reopened = new SqliteDatabase(file, { readonly: true });
    expect((reopened.prepare('select count(*) as n from cases').get() as { n: number }).n).toBe(batches * perBatch);
    reopened.close();
  });

  it('turns SQLite\'s own checkpoint off on the connection the app writes with', async () => {
    const store = await openStore({ url: `sqlite://${path.join(dir, 'pragma.db')}` });
    const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(store.db);
    expect(rows[0]?.wal_autocheckpoint).toBe(0);
    await store.close();
  });
});
