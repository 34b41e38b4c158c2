// The HTTP edge: webhooks (verified first), the JSON API (authenticated by role), the web consoles.
import path from 'node:path';
import express, { type Express } from 'express';
import type { Services } from '../services';
import { apiKeyAuth } from './auth';
import { accessLog } from './access-log';
import { requestDeadline } from './deadline';
import { errorMiddleware, NotFoundError } from '../errors';
import { warningsRoutes } from './routes/warnings';
import { casesRoutes } from './routes/cases';
import { handoffsRoutes } from './routes/handoffs';
import { healthRoutes, type Readiness } from './routes/health';
import { flowsRoutes } from './routes/flows';
import { reportsRoutes } from './routes/reports';
import { fraudReportsRoutes } from './routes/fraud-reports';
import { trialsRoutes } from './routes/trials';
import { recordingsRoutes } from './routes/recordings';
import { qaReviewsRoutes } from './routes/qa-reviews';
import { metricsRoutes, webhookLatency } from './metrics';
import { sessionAuth, sessionRoutes } from './sessions';
import { deskRoutes, endDeskStreams } from './routes/desk';
import { meRoutes } from './routes/me';
import { cannedRepliesRoutes } from './routes/canned-replies';
import { securityHeaders } from './security-headers';
import { ensureWebBuild, WEB_ROOT } from './web-build';
import { stopPaymentRoutes } from './routes/desk-stop-payments';
import { deskCorrectionRoutes } from './routes/desk-corrections';
import { orgRoutes } from './routes/org';
import { orgStopPaymentRoutes } from './routes/org-stop-payments';
import { orgVisitRoutes } from './routes/org-visits';
import { twilioConferenceWebhooks } from '../webhooks/twilio-conference';
import { twilioWebhooks } from '../webhooks/twilio';
import { registerTelegramHandlers, telegramWebhook } from '../webhooks/telegram';

export interface AppOptions {
  /** Shared with server/main.ts, which flips it at SIGTERM. */
  readiness?: Readiness;
}

export function createApp(s: Services, opts: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(accessLog(s.log));
  // Off unless TRUST_PROXY names the proxies in front: X-Forwarded-For from anyone else is not believed.
  app.set('trust proxy', s.config.trustProxy);
  app.use(securityHeaders({ https: s.config.publicUrl?.startsWith('https://') ?? false }));
  ensureWebBuild(s.log);

  app.use(healthRoutes(s, opts.readiness));
  app.use(metricsRoutes(s, s.config.apiKeys));
  app.use('/webhooks', webhookLatency());
  app.use('/webhooks/twilio/conference', twilioConferenceWebhooks(s));
  app.use('/webhooks/twilio', twilioWebhooks(s));
  if (s.telegramBot) {
    registerTelegramHandlers(s, s.telegramBot);
    app.use(telegramWebhook(s, s.telegramBot));
  }

  app.use('/api', requestDeadline(s.config.requestTimeoutMs, s.log));
  app.use('/api', express.json({ limit: s.config.bodyLimit, strict: false }));
  app.use('/api', apiKeyAuth(s.config.apiKeys));
  app.use('/api', sessionAuth(s));
  // Signing out ends the person's live desk streams at once.
  app.delete('/api/session', (req, res, next) => {
    const session = req.sessionAuth?.idHash;
    if (session) res.on('finish', () => endDeskStreams(session));
    next();
  });
  app.use(sessionRoutes(s));
  app.use(meRoutes(s));
  app.use(orgRoutes(s));
  app.use(orgStopPaymentRoutes(s));
  app.use(orgVisitRoutes(s));
  app.use(deskRoutes(s));
  app.use(cannedRepliesRoutes(s));
  app.use(stopPaymentRoutes(s));
  app.use(deskCorrectionRoutes(s));
  app.use(warningsRoutes(s));
  app.use(fraudReportsRoutes(s));
  app.use(casesRoutes(s));
  app.use(handoffsRoutes(s));
  app.use(flowsRoutes(s));
  app.use(reportsRoutes(s));
  app.use(trialsRoutes(s));
  app.use(recordingsRoutes(s));
  app.use(qaReviewsRoutes(s));

  for (const dir of ['desk', 'manager', 'station', 'shared', 'build']) app.use(`/${dir}`, express.static(path.join(WEB_ROOT, dir), { index: dir === 'build' ? false : 'index.html' }));
  app.get('/login', (_req, res) => res.sendFile(path.join(WEB_ROOT, 'shared', 'login.html')));
  app.get('/', (_req, res) => res.redirect('/desk/'));

  app.use((req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`)));
  app.use(errorMiddleware(s.log));
  return app;
}

