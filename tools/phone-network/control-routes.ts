// /_control: the control API over HTTP (one JSON RPC route per PhoneControl method), a few GET views for
// people with curl, and a server-sent event stream that keeps the citizen page live.
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { PhoneControl } from './control';
import type { Lifetime } from './lifetime';
import { WaitTimeoutError, type ChangeEvent, type NetworkState } from './state';
import { CallStateError } from './voice';

const phone = z.string().min(1);
const sid = z.string().min(1);
const chatId = z.number().int();
const wait = z.object({ timeoutMs: z.number().int().positive().max(600_000).optional(), contains: z.string().optional() }).strict();
const faultKind = z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504), z.literal(429), z.literal('timeout'), z.literal('accepted-timeout'), z.literal('accepted-500'), z.literal('accepted-502')]);
const behaviour = z
  .object({
    call: z.enum(['manual', 'answer', 'no-answer', 'busy', 'voicemail', 'reject', 'fail']).optional(),
    answerAfterMs: z.number().int().nonnegative().optional(),
    sms: z.enum(['delivered', 'undelivered', 'failed']).optional(),
    smsErrorCode: z.number().int().optional(),
    apiError: z.object({ code: z.number().int(), message: z.string().optional(), status: z.number().int().optional(), for: z.enum(['sms', 'call', 'both']).optional() }).optional(),
    apiFault: z.object({ kind: faultKind, count: z.number().int().positive() }).optional(),
    optedOut: z.boolean().optional(),
  })
  .strict();
const match = z.object({ ref: z.string().optional(), kind: z.string().optional(), status: z.string().optional() }).strict();
const profile = z.object({ firstName: z.string().optional(), username: z.string().optional(), languageCode: z.string().optional() }).strict();
const to = z.object({ to: z.string().optional() }).strict();

const ARGS: Record<keyof PhoneControl, z.ZodType<unknown[]>> = {
  setBehaviour: z.tuple([phone, behaviour]),
  behaviour: z.tuple([phone]),
  setTelegramBehaviour: z.tuple([chatId, z.object({ blocked: z.boolean().optional(), neverStarted: z.boolean().optional() }).strict()]),
  injectFault: z.tuple([z.object({ target: z.enum(['twilio', 'telegram']), kind: faultKind, count: z.number().int().positive().optional(), pathContains: z.string().optional() }).strict()]),
  inbox: z.tuple([phone]),
  calls: z.tuple([phone]),
  call: z.tuple([sid]),
  recordings: z.tuple([sid]),
  message: z.tuple([sid]),
  telegramChat: z.tuple([chatId]),
  numbers: z.tuple([]),
  callbacks: z.tuple([match.optional()]),
  apiRequests: z.tuple([]),
  redeliver: z.tuple([z.number().int().positive()]),
  sendSms: z.tuple([phone, z.string(), to.optional()]),
  placeCall: z.tuple([phone, to.optional()]),
  answerCall: z.tuple([sid, z.object({ machine: z.boolean().optional() }).strict().optional()]),
  rejectCall: z.tuple([sid]),
  hangUp: z.tuple([sid]),
  answerGather: z.tuple([sid, z.object({ speech: z.string().optional(), confidence: z.number().min(0).max(1).optional(), digits: z.string().optional() }).strict()]),
  silence: z.tuple([sid]),
  endDial: z.tuple([sid]),
  sendTelegram: z.tuple([chatId, z.string().min(1), profile.optional()]),
  pressButton: z.tuple([chatId, z.number().int(), z.string()]),
  shareContact: z.tuple([chatId, phone]),
  waitForSms: z.tuple([phone, wait.optional()]),
  waitForCall: z.tuple([phone, wait.optional()]),
  waitForGather: z.tuple([sid, wait.optional()]),
  waitForCallEnd: z.tuple([sid, wait.optional()]),
  waitForTelegram: z.tuple([chatId, wait.optional()]),
  waitForCallback: z.tuple([match, wait.optional()]),
  conferences: z.tuple([]),
  waitForConference: z.tuple([z.string().min(1), z.object({ timeoutMs: z.number().int().positive().max(600_000).optional(), connected: z.number().int().min(0).optional(), status: z.enum(['init', 'in-progress', 'completed']).optional() }).strict().optional()]),
  reset: z.tuple([]),
};

export function controlRouter(control: PhoneControl, state: NetworkState, lifetime: Lifetime): express.Router {
  const router = express.Router();
  router.use('/_control', express.json({ limit: '256kb' }));

  router.post('/_control/rpc/:method', async (req: Request, res: Response) => {
    const method = String(req.params.method) as keyof PhoneControl;
    const schema = Object.hasOwn(ARGS, method) ? ARGS[method] : undefined;
    if (!schema) {
      res.status(404).json({ error: `unknown control method "${method}"; known: ${Object.keys(ARGS).join(', ')}` });
      return;
    }
    const parsed = schema.safeParse((req.body as { args?: unknown } | undefined)?.args ?? []);
    if (!parsed.success) {
      res.status(400).json({ error: `${method}: bad arguments: ${z.prettifyError(parsed.error)}` });
      return;
    }
    try {
      const fn = control[method] as (...a: unknown[]) => Promise<unknown>;
      const result = await fn.apply(control, parsed.data);
      res.json({ result: result ?? null });
    } catch (e) {
      const status = e instanceof WaitTimeoutError ? 408 : e instanceof CallStateError ? 409 : 400;
      res.status(status).json({ error: (e as Error).message });
    }
  });

  router.get('/_control/numbers', async (_req, res) => void res.json(await control.numbers()));
  router.get('/_control/inbox/:phone', async (req, res) => void res.json(await control.inbox(String(req.params.phone))));
  router.get('/_control/calls/:phone', async (req, res) => void res.json(await control.calls(String(req.params.phone))));
  router.get('/_control/telegram/:chatId', async (req, res) => void res.json(await control.telegramChat(Number(req.params.chatId))));
  router.get('/_control/callbacks', async (_req, res) => void res.json(await control.callbacks()));
  router.get('/_control/conferences', async (_req, res) => void res.json(await control.conferences()));

  router.get('/_control/events', (req: Request, res: Response) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    const onChange = (e: ChangeEvent): void => void res.write(`event: change\ndata: ${JSON.stringify(e)}\n\n`);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    state.viewers++;
    state.events.emit('viewers', state.viewers);
    let stopped = false;
    const stop = (): void => {
      if (stopped) return;
      stopped = true;
      state.viewers--;
      state.events.emit('viewers', state.viewers);
      clearInterval(heartbeat);
      state.events.off('change', onChange);
      unregister();
      res.end();
    };
    const unregister = lifetime.onClose(stop);
    state.events.on('change', onChange);
    req.on('close', stop);
  });
  return router;
}
