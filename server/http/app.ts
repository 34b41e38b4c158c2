// The HTTP edge: webhooks (verified first), the JSON API (authenticated by role), the web consoles.
import path from 'node:path';
import express, { type Express } from 'express';
import type { Services } from '../services';
import { apiKeyAuth } from './auth';
import { errorMiddleware, NotFoundError } from '../errors';
import { warningsRoutes } from './routes/warnings';
import { casesRoutes } from './routes/cases';
import { handoffsRoutes } from './routes/handoffs';
import { healthRoutes } from './routes/health';
import { flowsRoutes } from './routes/flows';
import { reportsRoutes } from './routes/reports';
import { metricsRoutes, webhookLatency } from './metrics';
import { sessionAuth, sessionRoutes } from './sessions';
import { deskRoutes } from './routes/desk';
import { stopPaymentRoutes } from './routes/desk-stop-payments';
import { twilioWebhooks } from '../webhooks/twilio';
import { registerTelegramHandlers, telegramWebhook } from '../webhooks/telegram';

export function createApp(s: Services): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use(healthRoutes(s));
  app.use(metricsRoutes(s, s.config.apiKeys));
  app.use('/webhooks', webhookLatency());
  app.use('/webhooks/twilio', twilioWebhooks(s));
  if (s.telegramBot) {
    registerTelegramHandlers(s, s.telegramBot);
    app.use(telegramWebhook(s, s.telegramBot));
  }

  app.use('/api', express.json({ limit: s.config.bodyLimit, strict: false }));
  app.use('/api', apiKeyAuth(s.config.apiKeys));
  app.use('/api', sessionAuth(s));
  app.use(sessionRoutes(s));
  app.use(deskRoutes(s));
  app.use(stopPaymentRoutes(s));
  app.use(warningsRoutes(s));
  app.use(casesRoutes(s));
  app.use(handoffsRoutes(s));
  app.use(flowsRoutes(s));
  app.use(reportsRoutes(s));

  app.use('/desk', express.static(path.resolve(__dirname, '..', '..', 'web', 'desk')));
  app.use('/manager', express.static(path.resolve(__dirname, '..', '..', 'web', 'manager')));
  app.use('/shared', express.static(path.resolve(__dirname, '..', '..', 'web', 'shared')));
  app.get('/login', (_req, res) => res.sendFile(path.resolve(__dirname, '..', '..', 'web', 'shared', 'login.html')));
  app.get('/', (_req, res) => res.redirect('/desk/'));

  app.use((req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`)));
  app.use(errorMiddleware(s.log));
  return app;
}
