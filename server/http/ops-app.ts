// Health and metrics only: what a worker process serves to its operators (without the HTTP edge's routes,
// webhooks and consoles, which a worker never loads).
import express, { type Express } from 'express';
import type { Services } from '../services';
import { errorMiddleware, NotFoundError } from '../errors';
import { accessLog } from './access-log';
import { healthRoutes, type Readiness } from './routes/health';
import { metricsRoutes } from './metrics';

export function createOpsApp(s: Services, opts: { readiness?: Readiness } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', s.config.trustProxy);
  app.use(accessLog(s.log));
  app.use(healthRoutes(s, opts.readiness));
  app.use(metricsRoutes(s, s.config.apiKeys));
  app.use((req, _res, next) => next(new NotFoundError(`no route for ${req.method} ${req.path}`)));
  app.use(errorMiddleware(s.log));
  return app;
}
