import express, { type Express, type Router } from 'express';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { Logger } from '../../src/telemetry/logger';
import { sendProblem } from '../rest/problem';
import { errorHandler } from './error-handler';

/** An express app from route groups, with problem+json for unknown paths and every error. */
export function buildHttpApp(routers: readonly Router[], logger: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const router of routers) app.use(router);
  app.use((req, res) => sendProblem(res, new PrescaleError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`, 'path')));
  app.use(errorHandler(logger));
  return app;
}
