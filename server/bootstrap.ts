// Builds the services one process needs, and closes them in order.
import type { Logger } from 'pino';
import { loadPolicy } from '../flows/engine';
import { lazyClassifier } from './classifier-source';
import type { Config } from './config';
import { openStore } from './store/db';
import { connectRedis } from './jobs/redis';
import { createQueues } from './jobs/queues';
import { LiveEvents } from './events';
import { FlowRegistry } from './cases/flow-registry';
import { syncFlowRegistry } from './flows-admin/sync';
import { createTwilioClient } from '../bots/twilio-client';
import { SmsChannel } from '../bots/sms';
import { VoiceChannel } from '../bots/voice';
import { CallRecordings } from '../bots/recordings';
import { TelegramChannel, createTelegramBot } from '../bots/telegram';
import type { Services } from './services';
import { IntakeFirst } from './jobs/intake-first';
import { connectionErrorLogger } from './log';
import { Organisation, syncOrganisation } from './org/organisation';

export interface Runtime {
  services: Services;
  close(): Promise<void>;
}

export async function createRuntime(config: Config, log: Logger, opts: { listenForEvents?: boolean; classifies?: boolean } = {}): Promise<Runtime> {
  const store = await openStore({ url: config.databaseUrl, schema: config.databaseSchema, onError: connectionErrorLogger(log, 'postgres') });
  const redis = connectRedis(config.redisUrl, { onError: connectionErrorLogger(log, 'redis') });
  const queues = createQueues(redis, config.queuePrefix);
  const events = new LiveEvents(redis.client, `${config.queuePrefix}:events`);
  if (opts.listenForEvents) await events.listen(redis.create('subscriber'));
  const classifier = lazyClassifier();
  // A process that answers webhooks loads it now, beside the rest, so a bad model fails the start, not a reply.
  const classifierReady = opts.classifies ? classifier.get() : undefined;
  const flows = await FlowRegistry.fromStore(store.db, { log });
  const flowSync = await syncFlowRegistry(flows, store.db, { publisher: redis.client, subscriber: redis.create('subscriber'), channel: `${config.queuePrefix}:flows` }, log);
  const policy = loadPolicy(config.policyFile);
  const org = await Organisation.load(store.db, config.org, log);
  const orgSync = await syncOrganisation(org, store.db, { publisher: redis.client, subscriber: redis.create('subscriber'), channel: `${config.queuePrefix}:units` }, log);
  const twilioClient = createTwilioClient(config.twilio.accountSid, config.twilio.authToken, config.twilio.apiBase);
  const telegramBot = config.telegram.botToken ? createTelegramBot(config.telegram.botToken, config.telegram.apiRoot) : undefined;
  await classifierReady;
  const services: Services = {
    config,
    log,
    store,
    queues,
    events,
    classifier,
    flows,
    policy,
    channels: {
      sms: new SmsChannel(twilioClient, config.twilio.from),
      voice: new VoiceChannel(twilioClient, config.twilio.from),
      ...(telegramBot ? { telegram: new TelegramChannel(telegramBot) } : {}),
    },
    recordings: new CallRecordings(twilioClient, { accountSid: config.twilio.accountSid, authToken: config.twilio.authToken, apiBase: config.twilio.apiBase }),
    telegramBot,
    callbackBase: config.publicUrl ?? `http://127.0.0.1:${config.port}`,
    org,
    twilio: twilioClient,
    intakeFirst: new IntakeFirst(),
  };
  return {
    services,
    async close() {
      flowSync.stop();
      orgSync.stop();
      await queues.close().catch(() => undefined);
      await redis.close();
      await store.close();
    },
  };
}
