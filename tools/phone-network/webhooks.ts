// Outgoing requests to the app, made the way the providers make them, and the log of every one sent.
import { randomUUID } from 'node:crypto';
import twilio from 'twilio';
import type { Lifetime } from './lifetime';
import { nowIso, type NetworkState } from './state';
import type { CallbackLogEntry } from './types';

/** Twilio gives up on a webhook after 15 s (error 11205). */
const TWILIO_TIMEOUT_MS = 15_000;
const TELEGRAM_TIMEOUT_MS = 30_000;
const LOGGED_BODY_CHARS = 4000;

export interface WebhookResult {
  status: number;
  body: string;
  contentType: string;
  error: string | null;
}

export class WebhookSender {
  constructor(
    private readonly state: NetworkState,
    private readonly lifetime: Lifetime,
    private readonly authToken: string,
  ) {}

  /** A form-encoded Twilio webhook signed with X-Twilio-Signature, as TwilioProxy sends it. */
  async twilio(
    kind: CallbackLogEntry['kind'],
    url: string,
    params: Record<string, string>,
    ref: string,
    method: 'POST' | 'GET' = 'POST',
  ): Promise<WebhookResult> {
    let target = url;
    if (method === 'GET') {
      const u = new URL(url);
      for (const [k, v] of Object.entries(params)) u.searchParams.append(k, v);
      target = u.href;
    }
    const signature = twilio.getExpectedTwilioSignature(this.authToken, target, method === 'GET' ? {} : params);
    const headers: Record<string, string> = {
      'user-agent': 'TwilioProxy/1.1',
      'x-twilio-signature': signature,
      'i-twilio-idempotency-token': randomUUID(),
      accept: '*/*',
      'cache-control': 'max-age=259200',
    };
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
    const entry = this.log('twilio', kind, method, target, params, headers, ref, false);
    return this.deliver(entry, method === 'POST' ? new URLSearchParams(params).toString() : undefined, TWILIO_TIMEOUT_MS);
  }

  /** A Telegram update POSTed as JSON, with the secret header when setWebhook was given one. */
  async telegram(url: string, update: Record<string, unknown>, secret: string | null): Promise<WebhookResult> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret) headers['x-telegram-bot-api-secret-token'] = secret;
    const entry = this.log('telegram', 'telegram-update', 'POST', url, update, headers, String(update.update_id), false);
    return this.deliver(entry, JSON.stringify(update), TELEGRAM_TIMEOUT_MS);
  }

  /** Send a logged callback again, byte for byte (same signature and idempotency token). */
  async redeliver(id: number): Promise<CallbackLogEntry> {
    const original = this.state.callbacks.find((c) => c.id === id);
    if (!original) throw new Error(`no callback #${id} in the log (${this.state.callbacks.length} sent so far)`);
    const entry = this.log(
      original.provider,
      original.kind,
      original.method,
      original.url,
      original.params,
      original.headers,
      original.ref,
      true,
    );
    const body =
      original.method === 'GET'
        ? undefined
        : original.provider === 'telegram'
          ? JSON.stringify(original.params)
          : new URLSearchParams(original.params as Record<string, string>).toString();
    await this.deliver(entry, body, original.provider === 'telegram' ? TELEGRAM_TIMEOUT_MS : TWILIO_TIMEOUT_MS);
    return entry;
  }

  private log(
    provider: CallbackLogEntry['provider'],
    kind: CallbackLogEntry['kind'],
    method: 'POST' | 'GET',
    url: string,
    params: Record<string, unknown>,
    headers: Record<string, string>,
    ref: string,
    redelivery: boolean,
  ): CallbackLogEntry {
    const entry: CallbackLogEntry = {
      id: this.state.callbacks.length + 1,
      at: nowIso(),
      provider,
      kind,
      method,
      url,
      params,
      headers,
      status: -1,
      error: null,
      responseBody: '',
      ref,
      redelivery,
    };
    this.state.callbacks.push(entry);
    return entry;
  }

  private async deliver(entry: CallbackLogEntry, body: string | undefined, timeoutMs: number): Promise<WebhookResult> {
    let result: WebhookResult;
    try {
      const res = await fetch(entry.url, {
        method: entry.method,
        headers: entry.headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.any([this.lifetime.abort.signal, AbortSignal.timeout(timeoutMs)]),
      });
      const text = await res.text();
      result = { status: res.status, body: text, contentType: res.headers.get('content-type') ?? '', error: null };
    } catch (e) {
      const cause = (e as { cause?: { code?: string } }).cause?.code;
      const message = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : (cause ?? (e as Error).message);
      result = { status: 0, body: '', contentType: '', error: message };
    }
    entry.status = result.status;
    entry.error = result.error;
    entry.responseBody = result.body.slice(0, LOGGED_BODY_CHARS);
    this.state.changed('callback', [], entry.ref);
    return result;
  }
}
