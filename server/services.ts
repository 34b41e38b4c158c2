// What the request handlers and job processors share: built once per process by server/main.ts (or a test).
import type { Logger } from 'pino';
import type { Telegraf } from 'telegraf';
import type { ClassifierSource } from './classifier-source';
import type { Policy } from '../flows/engine';
import type { Config } from './config';
import type { Store } from './store/db';
import type { Queues } from './jobs/queues';
import type { LiveEvents } from './events';
import type { FlowRegistry } from './cases/flow-registry';
import type { SmsChannel } from '../bots/sms';
import type { TelegramChannel } from '../bots/telegram';
import type { VoiceChannel } from '../bots/voice';
import type { CallRecordings } from '../bots/recordings';
import type { Organisation } from './org/organisation';
import type { TwilioClient } from '../bots/twilio-client';
import type { IntakeFirst } from './jobs/intake-first';

export interface Channels {
  sms: SmsChannel;
  voice: VoiceChannel;
  telegram?: TelegramChannel;
}

export interface Services {
  config: Config;
  log: Logger;
  store: Store;
  queues: Queues;
  events: LiveEvents;
  /** Loaded on first use: only processes that classify (web) ever load it. */
  classifier: ClassifierSource;
  flows: FlowRegistry;
  policy: Policy;
  channels: Channels;
  /** Call recordings at Twilio (replay, retention). */
  recordings: CallRecordings;
  telegramBot?: Telegraf;
  /** The URL providers call us back on: PUBLIC_URL, or the loopback address in development. */
  callbackBase: string;
  /** Units, visit deadlines and banks (issue 15). */
  org: Organisation;
  /** The twilio library client (the stop-payment conference needs more than the channels use). */
  twilio: TwilioClient;
  /** While warnings wait to be answered, this process's relay sends only a few at a time. */
  intakeFirst: IntakeFirst;
}
