// The network's memory and its event bus. Engines mutate records and call changed(); waiters and the
// citizen page's event stream listen to 'change'.
import { EventEmitter } from 'node:events';
import type { Lifetime } from './lifetime';
import type {
  ApiRequestLogEntry,
  Behaviour,
  CallRecord,
  CallbackLogEntry,
  ConferenceRecord,
  FaultSpec,
  RecordingRecord,
  SmsRecord,
  TelegramBehaviour,
  TelegramChatRecord,
  TelegramMessageRecord,
} from './types';

export type ChangeKind = 'sms' | 'call' | 'telegram' | 'callback' | 'behaviour' | 'conference' | 'reset';

export interface ChangeEvent {
  kind: ChangeKind;
  /** phone numbers and "tg:<chatId>" keys the change concerns */
  keys: string[];
  ref: string;
}

export class WaitTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeoutError';
  }
}

export class NetworkState {
  readonly events = new EventEmitter();
  messages: SmsRecord[] = [];
  calls: CallRecord[] = [];
  recordings: RecordingRecord[] = [];
  conferences: ConferenceRecord[] = [];
  telegramChats = new Map<number, TelegramChatRecord>();
  telegramMessages: TelegramMessageRecord[] = [];
  callbacks: CallbackLogEntry[] = [];
  behaviours = new Map<string, Behaviour>();
  telegramBehaviours = new Map<number, TelegramBehaviour>();
  faults: Required<FaultSpec>[] = [];
  /** every request the app made to the fake provider APIs, with the status it got */
  apiRequests: ApiRequestLogEntry[] = [];
  /** per waiter name and key, the last seq a waitFor… call returned (so the next call waits for a newer one) */
  cursors = new Map<string, number>();
  /** citizen pages (and other clients) following /_control/events now; `events` emits 'viewers' when it changes */
  viewers = 0;
  private seqCounter = 0;

  constructor(private readonly lifetime: Lifetime) {
    // Many tests and page clients wait at once.
    this.events.setMaxListeners(0);
  }

  nextSeq(): number {
    return ++this.seqCounter;
  }

  changed(kind: ChangeKind, keys: string[], ref: string): void {
    this.events.emit('change', { kind, keys, ref } satisfies ChangeEvent);
  }

  behaviourOf(phone: string): Behaviour {
    return this.behaviours.get(phone) ?? {};
  }

  call(sid: string): CallRecord | undefined {
    return this.calls.find((c) => c.sid === sid);
  }

  message(sid: string): SmsRecord | undefined {
    return this.messages.find((m) => m.sid === sid);
  }

  reset(): void {
    this.messages = [];
    this.calls = [];
    this.recordings = [];
    this.conferences = [];
    this.telegramChats.clear();
    this.telegramMessages = [];
    this.callbacks = [];
    this.behaviours.clear();
    this.telegramBehaviours.clear();
    this.faults = [];
    this.apiRequests = [];
    this.cursors.clear();
    this.changed('reset', [], '');
  }

  /**
   * Resolve with check()'s first non-undefined answer, re-checking on every change (no polling).
   * On timeout the error names what was awaited and what did arrive (describe()).
   */
  waitUntil<T>(check: () => T | undefined, timeoutMs: number, what: string, describe: () => string): Promise<T> {
    const first = check();
    if (first !== undefined) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.events.off('change', onChange);
        unregister();
      };
      const onChange = (): void => {
        let value: T | undefined;
        try {
          value = check();
        } catch (e) {
          finish();
          reject(e);
          return;
        }
        if (value !== undefined) {
          finish();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        finish();
        reject(new WaitTimeoutError(`${what}: nothing within ${timeoutMs} ms. ${describe()}`));
      }, timeoutMs);
      const unregister = this.lifetime.onClose(() => {
        finish();
        reject(new WaitTimeoutError(`${what}: the phone network closed while waiting`));
      });
      this.events.on('change', onChange);
    });
  }
}

/** A JSON copy, so callers in-process get the same detached shapes as HTTP clients. */
export function snapshot<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function nowIso(): string {
  return new Date().toISOString();
}
