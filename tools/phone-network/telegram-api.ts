// The Telegram Bot API endpoint: /bot<token>/<method>, JSON or form bodies (telegraf POSTs JSON).
import express, { type Request, type Response } from 'express';
import type { NetworkContext } from './context';
import { sendFault, takeFault } from './faults';
import { nowIso } from './state';
import { TelegramRefusal } from './telegram-format';
import type { TelegramEngine } from './telegram';

export function telegramApiRouter(ctx: NetworkContext, telegram: TelegramEngine): express.Router {
  const router = express.Router();
  const token = ctx.options.telegram.botToken;

  router.all(
    '/bot:token/:method',
    express.json({ limit: '1mb' }),
    express.urlencoded({ extended: false }),
    async (req: Request, res: Response) => {
      const method = String(req.params.method);
      const path = `/bot<token>/${method}`;
      res.on('finish', () => ctx.state.apiRequests.push({ at: nowIso(), provider: 'telegram', method: req.method, path, status: res.statusCode, fault: null }));
      if (req.params.token !== token) {
        res.status(401).json({ ok: false, error_code: 401, description: 'Unauthorized' });
        return;
      }
      if (req.is('multipart/form-data')) {
        res.status(400).json({ ok: false, error_code: 400, description: 'Bad Request: file uploads are not simulated by the local phone network' });
        return;
      }
      const fault = takeFault(ctx.state, 'telegram', path, null);
      if (fault !== null) {
        if (fault === 'timeout' || fault === 'accepted-timeout') ctx.state.apiRequests.push({ at: nowIso(), provider: 'telegram', method: req.method, path, status: 0, fault });
        sendFault(res, 'telegram', fault);
        return;
      }
      const params = { ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown> | undefined) ?? {}) };
      try {
        const { result, description } = await telegram.call(method, params);
        res.json(description ? { ok: true, result, description } : { ok: true, result });
      } catch (e) {
        if (!(e instanceof TelegramRefusal)) throw e;
        const body: Record<string, unknown> = { ok: false, error_code: e.errorCode, description: e.description };
        if (e.parameters) body.parameters = e.parameters;
        res.status(e.errorCode).json(body);
      }
    },
  );
  return router;
}
