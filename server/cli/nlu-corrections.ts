// npm run nlu:corrections -- list [--review pending|approved|rejected|all] [--json]
// npm run nlu:corrections -- approve|reject <correction id>… --by <supervisor's username>
// A desk officer's correction of the classifier is trained on only once a supervisor (a manager or admin) has
// approved it here; a supervisor's own corrections are approved as they are made. Database: DATABASE_URL
// (and DATABASE_SCHEMA), as for the server.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../store/db';
import { getCorrection, listCorrections, reviewCorrection, type CorrectionReview } from '../store/repositories/intent-corrections';
import { findUserByUsername } from '../store/repositories/users';
import { audit } from '../store/repositories/audit';
import { nowIso } from '../store/ids';
import { maskPhonesIn } from '../log';

const USAGE = `usage: npm run nlu:corrections -- list [--review pending|approved|rejected|all] [--json]
       npm run nlu:corrections -- approve|reject <correction id>... --by <username of a manager or admin>`;

export class UsageError extends Error {}

const REVIEWS = ['pending', 'approved', 'rejected', 'all'] as const;

export async function nluCorrections(argv: string[], env: NodeJS.ProcessEnv = process.env, out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { review: { type: 'string' }, by: { type: 'string' }, json: { type: 'boolean', default: false } }, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const [command, ...ids] = positionals;
  if (command !== 'list' && command !== 'approve' && command !== 'reject') throw new UsageError(command ? `unknown command "${command}"` : 'a command is required');
  const review = values.review ?? (command === 'list' ? 'pending' : undefined);
  if (review !== undefined && !REVIEWS.includes(review as (typeof REVIEWS)[number])) throw new UsageError(`--review must be one of ${REVIEWS.join(', ')}; got "${review}"`);
  if (command !== 'list' && !ids.length) throw new UsageError(`${command} needs at least one correction id (see \`list\`)`);
  if (command !== 'list' && !values.by) throw new UsageError(`${command} needs --by <username>: the supervisor who reviewed it`);

  const store = await openStore({ url: env.DATABASE_URL || `sqlite://${path.resolve('data', 'quanzu.sqlite')}`, schema: env.DATABASE_SCHEMA || undefined });
  try {
    if (command === 'list') {
      const rows = await listCorrections(store.db, review === 'all' ? {} : { review: review as CorrectionReview });
      for (const r of rows) {
        const item = { id: r.id, review: r.review, locale: r.locale, channel: r.channel, previousIntent: r.previous_intent, intent: r.intent, modelVersion: r.model_version, by: r.corrected_by, at: r.corrected_at, reviewedBy: r.reviewed_by, text: maskPhonesIn(r.text), note: r.note };
        out(values.json ? JSON.stringify(item) : `${r.id}  ${r.review.padEnd(8)} ${r.locale} ${r.channel.padEnd(8)} ${r.previous_intent ?? '-'} → ${r.intent}  by ${r.corrected_by} ${r.corrected_at}  ${JSON.stringify(item.text)}`);
      }
      if (!values.json) out(`${rows.length} correction(s)${review === 'all' ? '' : ` ${review}`}`);
      return;
    }
    const reviewer = await findUserByUsername(store.db, values.by!);
    if (!reviewer || reviewer.disabled_at) throw new UsageError(`--by "${values.by}" is not an active user`);
    if (reviewer.role !== 'manager' && reviewer.role !== 'admin') throw new UsageError(`--by "${reviewer.username}" is a ${reviewer.role}; only a manager or admin reviews corrections`);
    const decision = command === 'approve' ? 'approved' : 'rejected';
    for (const id of ids) {
      const c = await getCorrection(store.db, id);
      if (!c) throw new UsageError(`no correction ${id} (nothing after it was changed)`);
    }
    for (const id of ids) {
      const c = (await getCorrection(store.db, id))!;
      const at = nowIso();
      await store.db.transaction().execute(async (trx) => {
        await reviewCorrection(trx, id, decision, reviewer.username, at);
        await audit(trx, { caseId: c.case_id, actor: reviewer.username, action: 'intent_correction_reviewed', detail: { correctionId: id, messageId: c.message_id, intent: c.intent, decision, was: c.review } });
      });
      out(`${decision} ${id} (${c.previous_intent ?? '-'} → ${c.intent})`);
    }
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  nluCorrections(process.argv.slice(2)).catch((err) => {
    if (err instanceof UsageError) {
      process.stderr.write(`nlu:corrections: ${err.message}\n${USAGE}\n`);
      process.exit(2);
    }
    process.stderr.write(`nlu:corrections: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
