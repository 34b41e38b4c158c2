import type { Lifetime } from './lifetime';
import type { NetworkState } from './state';
import type { PhoneNetworkOptions } from './types';
import type { WebhookSender } from './webhooks';

export interface ResolvedOptions {
  twilio: Required<Omit<PhoneNetworkOptions['twilio'], 'incomingVoiceStatusUrl'>> & { incomingVoiceStatusUrl: string | null };
  telegram: Required<PhoneNetworkOptions['telegram']>;
  ringMs: number;
  gatherTimeoutMs: number | null;
  smsStepMs: number;
  deskPhones: string[];
}

export function resolveOptions(o: PhoneNetworkOptions): ResolvedOptions {
  return {
    twilio: {
      accountSid: o.twilio.accountSid,
      authToken: o.twilio.authToken,
      incomingSmsUrl: o.twilio.incomingSmsUrl,
      incomingVoiceUrl: o.twilio.incomingVoiceUrl,
      incomingVoiceStatusUrl: o.twilio.incomingVoiceStatusUrl ?? null,
      phoneNumber: o.twilio.phoneNumber ?? '+15005550006',
    },
    telegram: {
      botToken: o.telegram.botToken,
      botUsername: o.telegram.botUsername ?? 'quanzu_local_bot',
      retryMs: o.telegram.retryMs ?? 1000,
    },
    ringMs: o.ringMs ?? 3000,
    gatherTimeoutMs: o.gatherTimeoutMs ?? null,
    smsStepMs: o.smsStepMs ?? 10,
    deskPhones: o.deskPhones ?? [],
  };
}

/** What every engine shares. */
export interface NetworkContext {
  options: ResolvedOptions;
  state: NetworkState;
  lifetime: Lifetime;
  sender: WebhookSender;
  /** report a bug in the network itself (never a provider error the app should see) */
  onInternalError: (e: unknown) => void;
}
