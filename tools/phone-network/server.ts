// The local phone network: Twilio's REST API and the Telegram Bot API on loopback, calling the app's
// webhooks as the providers do, plus the control API and the citizen page. A dev and test tool only.
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { resolveOptions, type NetworkContext } from './context';
import { LocalPhoneControl, type PhoneControl } from './control';
import { controlRouter } from './control-routes';
import { Lifetime } from './lifetime';
import { SmsEngine } from './sms';
import { NetworkState } from './state';
import { TelegramEngine } from './telegram';
import { telegramApiRouter } from './telegram-api';
import { twilioApiRouter } from './twilio-api';
import type { PhoneNetworkOptions } from './types';
import { VoiceEngine } from './voice';
import { RecordingEngine } from './recordings';
import { ConferenceEngine } from './conference';
import { WebhookSender } from './webhooks';

export type { PhoneNetworkOptions } from './types';
export type { PhoneControl } from './control';
export { NetworkState } from './state';

export interface PhoneNetwork {
  /** e.g. http://127.0.0.1:4010 — TWILIO_API_BASE and TELEGRAM_API_ROOT for the app */
  url: string;
  close(): Promise<void>;
  /** everything the network knows, live (read it; change it through control) */
  state: NetworkState;
  control: PhoneControl;
}

export async function startPhoneNetwork(o: PhoneNetworkOptions): Promise<PhoneNetwork> {
  const options = resolveOptions(o);
  const lifetime = new Lifetime();
  const state = new NetworkState(lifetime);
  const ctx: NetworkContext = {
    options,
    state,
    lifetime,
    sender: new WebhookSender(state, lifetime, options.twilio.authToken),
    onInternalError: (e) => console.error('[phone-network] internal error:', e),
  };
  const sms = new SmsEngine(ctx);
  const recordings = new RecordingEngine(ctx);
  const voice = new VoiceEngine(ctx, recordings);
  const conferences = new ConferenceEngine(ctx, voice);
  voice.conferences = conferences;
  const telegram = new TelegramEngine(ctx);
  const control = new LocalPhoneControl({ ctx, sms, voice, telegram, recordings });

  const app = express();
  app.disable('x-powered-by');
  app.use(twilioApiRouter(ctx, sms, voice, conferences, recordings));
  app.use(telegramApiRouter(ctx, telegram));
  app.use(controlRouter(control, state, lifetime));
  app.use(express.static(path.join(__dirname, 'public')));
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    ctx.onInternalError(err);
    res.status(500).json({ error: 'internal error in the local phone network (see its log)' });
  });

  const server = app.listen(o.port ?? 0, o.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url,
    state,
    control,
    close() {
      closing ??= new Promise<void>((resolve) => {
        lifetime.close();
        server.close(() => resolve());
        // Keep-alive clients (axios, node-fetch) and held requests would otherwise keep it open.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
