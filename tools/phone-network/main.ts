// npm run phone-network: the local phone network on its own, configured from the environment.
import { startPhoneNetwork } from './server';

function env(name: string, fallback: string): string {
  const v = process.env[name];
  return v === undefined || v === '' ? fallback : v;
}

async function main(): Promise<void> {
  const port = Number(env('PHONE_NETWORK_PORT', '4010'));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PHONE_NETWORK_PORT must be a port number, got "${process.env.PHONE_NETWORK_PORT}"`);
    process.exit(1);
  }
  const appUrl = env('APP_URL', 'http://127.0.0.1:3000').replace(/\/$/, '');
  const network = await startPhoneNetwork({
    port,
    host: env('PHONE_NETWORK_HOST', '127.0.0.1'),
    twilio: {
      accountSid: env('TWILIO_ACCOUNT_SID', 'AC00000000000000000000000000000000'),
      authToken: env('TWILIO_AUTH_TOKEN', 'local-auth-token'),
      incomingSmsUrl: `${appUrl}/webhooks/twilio/sms`,
      incomingVoiceUrl: `${appUrl}/webhooks/twilio/voice`,
      phoneNumber: process.env.TWILIO_FROM || undefined,
    },
    telegram: { botToken: env('TELEGRAM_BOT_TOKEN', '123456789:local-bot-token') },
    // A person plays the citizen here: give them time to pick up and to type an answer.
    ringMs: Number(env('PHONE_NETWORK_RING_MS', '30000')),
    gatherTimeoutMs: Number(env('PHONE_NETWORK_GATHER_TIMEOUT_MS', '120000')),
    // The app's TWILIO_DESK_NUMBER and officers' phones, listed on the citizen page so the desk's calls can be answered there.
    deskPhones: env('PHONE_NETWORK_DESK_PHONES', process.env.TWILIO_DESK_NUMBER ?? '').split(',').map((x) => x.trim()).filter(Boolean),
  });
  console.log(`Local phone network: ${network.url}  (citizen page: ${network.url}/)`);
  console.log(`  app: TWILIO_API_BASE=${network.url} TELEGRAM_API_ROOT=${network.url}`);
  console.log(`  incoming SMS → ${appUrl}/webhooks/twilio/sms, calls → ${appUrl}/webhooks/twilio/voice`);
  const stop = (): void => void network.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
