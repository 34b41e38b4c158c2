// A tiny stand-in for the quanzu app: receives the network's webhooks, checks Twilio signatures with the
// real library and answers with whatever TwiML or JSON the test scripts.
import type { AddressInfo } from 'node:net';
import express from 'express';
import twilio from 'twilio';

export interface Received {
  path: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  signatureValid: boolean;
  json: unknown;
}

export interface FakeApp {
  url: string;
  received: Received[];
  /** answer requests to this path with this (a string is sent as TwiML) */
  on(path: string, reply: string | ((r: Received) => string | { status: number; body?: string })): void;
  close(): Promise<void>;
}

export async function startFakeApp(authToken: string): Promise<FakeApp> {
  const app = express();
  const received: Received[] = [];
  const replies = new Map<string, string | ((r: Received) => string | { status: number; body?: string })>();
  let url = '';
  app.use(express.urlencoded({ extended: false }), express.json());
  app.all('/*splat', (req, res) => {
    const params = (req.is('application/x-www-form-urlencoded') ? req.body : {}) as Record<string, string>;
    const fullUrl = `${url}${req.originalUrl}`;
    const r: Received = {
      path: req.path,
      params,
      headers: req.headers,
      signatureValid: twilio.validateRequest(authToken, String(req.headers['x-twilio-signature'] ?? ''), fullUrl, params),
      json: req.is('application/json') ? req.body : null,
    };
    received.push(r);
    const reply = replies.get(req.path);
    const out = typeof reply === 'function' ? reply(r) : reply;
    if (out === undefined) return void res.status(204).end();
    if (typeof out === 'string') return void res.type(out.startsWith('<') ? 'text/xml' : 'application/json').send(out);
    res.status(out.status).send(out.body ?? '');
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    on: (path, reply) => void replies.set(path, reply),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
