// The moving parts of one call in progress: what it is waiting for and how the citizen, the app (via the
// REST API) or a timer wakes it up.
import { NetworkClosedError, type Lifetime } from './lifetime';
import type { CallRecord } from './types';

export interface GatherInput {
  speech?: string;
  confidence?: number;
  digits?: string;
}

export type TwimlSource =
  | { url: string; method: 'POST' | 'GET'; kind: 'voice-url' | 'gather-action' | 'dial-action' | 'redirect' | 'incoming-voice'; extra?: Record<string, string> }
  | { twiml: string };

export type Wakeup =
  | { type: 'answer'; machine: boolean }
  | { type: 'reject' }
  | { type: 'timeout' }
  | { type: 'input'; input: GatherInput }
  | { type: 'hangup'; by: 'citizen' | 'app' }
  | { type: 'cancel' }
  | { type: 'redirect'; source: TwimlSource }
  | { type: 'dial-end'; status: string };

export class LiveCall {
  /** what the call is parked on: 'ringing', 'gather', 'dial' or null while it runs */
  waitingFor: 'ringing' | 'gather' | 'dial' | null = null;
  private wake: ((w: Wakeup) => void) | null = null;
  /** a wake-up that arrived while nothing was waiting (e.g. a hang-up during a webhook) */
  private pending: Wakeup | null = null;
  callbackSequence = 0;
  /** Say lines since the citizen last answered, shown as the Gather's prompt */
  promptSinceInput: string[] = [];
  documentUrl: string | null = null;
  amd: { asyncCallback: string | null; asyncMethod: 'POST' | 'GET' } | null = null;
  fallbackUrl: string | null = null;
  fallbackMethod: 'POST' | 'GET' = 'POST';
  statusCallbackMethod: 'POST' | 'GET' = 'POST';
  timeoutSeconds = 60;

  constructor(readonly record: CallRecord, private readonly lifetime: Lifetime) {}

  /** Park until woken or until ms pass ({type:'timeout'}); null ms waits forever. */
  async wait(what: 'ringing' | 'gather' | 'dial', ms: number | null): Promise<Wakeup> {
    if (this.pending) {
      const w = this.pending;
      this.pending = null;
      return w;
    }
    this.waitingFor = what;
    try {
      return await new Promise<Wakeup>((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const unregister = this.lifetime.onClose(() => {
          clearTimeout(timer);
          reject(new NetworkClosedError());
        });
        this.wake = (w) => {
          clearTimeout(timer);
          unregister();
          this.wake = null;
          resolve(w);
        };
        if (ms !== null) timer = setTimeout(() => this.wake?.({ type: 'timeout' }), ms);
      });
    } finally {
      this.waitingFor = null;
    }
  }

  /**
   * Deliver a wake-up now, or keep it for the next wait: hang-ups, redirects, and an answer given while
   * the ringing callback is still in flight must not be lost.
   */
  send(w: Wakeup): void {
    if (this.wake) this.wake(w);
    else if (w.type !== 'timeout' && w.type !== 'input' && w.type !== 'dial-end') this.pending = w;
  }

  /** A hang-up or redirect that came in while the call was busy elsewhere. */
  takePending(): Wakeup | null {
    const w = this.pending;
    if (w && (w.type === 'hangup' || w.type === 'redirect' || w.type === 'cancel')) {
      this.pending = null;
      return w;
    }
    return null;
  }
}
