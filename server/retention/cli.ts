// npm run retention [-- --dry-run] — applies the retention policy once and prints what it removed.
// Reads DATABASE_URL (and DATABASE_SCHEMA) and the RETENTION_* settings, as the server does; the worker
// role runs the same once a day. docs/retention.md says what goes when.
import { parseArgs } from 'node:util';
import { ConfigError, loadRetentionConfig } from '../config';
import { openStore } from '../store/db';
import { runRetention } from './run';
import { CallRecordings } from '../../bots/recordings';
import { createTwilioClient } from '../../bots/twilio-client';

const USAGE = `usage: npm run retention [-- --dry-run]
  --dry-run  count what the policy would remove now, change nothing
  settings: DATABASE_URL, DATABASE_SCHEMA, RETENTION_TRANSCRIPT_DAYS, RETENTION_NUMBER_DAYS,
            RETENTION_RECORDING_DAYS, RETENTION_PROVIDER_EVENT_DAYS (see README);
            TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN (and TWILIO_API_BASE) to delete call recordings at Twilio`;

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let dryRun: boolean;
  try {
    dryRun = parseArgs({ args: argv, options: { 'dry-run': { type: 'boolean', default: false } }, strict: true }).values['dry-run'] === true;
  } catch (err) {
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  let config;
  try {
    config = loadRetentionConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      return 78;
    }
    throw err;
  }
  const store = await openStore({ url: config.databaseUrl, schema: config.databaseSchema });
  try {
    // Recordings are deleted at Twilio, so only with its credentials (the same TWILIO_* as the server).
    const sid = env.TWILIO_ACCOUNT_SID?.trim();
    const token = env.TWILIO_AUTH_TOKEN?.trim();
    const apiBase = env.TWILIO_API_BASE?.trim() || undefined;
    const recordings = sid && token ? new CallRecordings(createTwilioClient(sid, token, apiBase), { accountSid: sid, authToken: token, apiBase }) : undefined;
    const report = await runRetention(store.db, config.retention, { dryRun, actor: 'retention-cli', recordings });
    console.log(JSON.stringify(report));
    return 0;
  } finally {
    await store.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
