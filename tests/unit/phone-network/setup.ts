import { startPhoneNetwork, type PhoneNetwork } from '../../../tools/phone-network/server';
import { localTwilioClient } from '../../../tools/phone-network/twilio-client';
import { startFakeApp, type FakeApp } from './fake-app';

export const ACCOUNT_SID = 'AC' + 'a1'.repeat(16);
export const AUTH_TOKEN = 'test-auth-token-0123456789';
export const BOT_TOKEN = '7000000001:AAtest-token_for-local';
export const APP_NUMBER = '+8610100000000';
export const CITIZEN = '+8613800138000';

export interface World {
  network: PhoneNetwork;
  app: FakeApp;
  twilioClient: ReturnType<typeof localTwilioClient>;
  close(): Promise<void>;
}

export async function startWorld(opts: { ringMs?: number; gatherTimeoutMs?: number; twilioTimeoutMs?: number } = {}): Promise<World> {
  const app = await startFakeApp(AUTH_TOKEN);
  const network = await startPhoneNetwork({
    twilio: {
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      incomingSmsUrl: `${app.url}/webhooks/twilio/sms`,
      incomingVoiceUrl: `${app.url}/webhooks/twilio/voice`,
      phoneNumber: APP_NUMBER,
    },
    telegram: { botToken: BOT_TOKEN, retryMs: 50 },
    ringMs: opts.ringMs ?? 200,
    gatherTimeoutMs: opts.gatherTimeoutMs,
    smsStepMs: 1,
  });
  const twilioClient = localTwilioClient(network.url, ACCOUNT_SID, AUTH_TOKEN, { timeout: opts.twilioTimeoutMs ?? 5000 });
  return {
    network,
    app,
    twilioClient,
    async close() {
      await network.close();
      await app.close();
    },
  };
}
