import express, { type Express, type RequestHandler, type Router } from 'express';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { Logger } from '../../src/telemetry/logger';
import { sendProblem } from '../rest/problem';
import { errorHandler } from './error-handler';
import { methodNotAllowed } from './method-not-allowed';

/**
 * An express app from route groups, with problem+json for unknown paths (404), known paths
 * asked with another method (405 with `Allow`) and every error.
 * `guard` (authentication, see api/auth) runs before every route, so no route file decides
 * who may call it.
 */
export function buildHttpApp(routers: readonly Router[], logger: Logger, options: { guard?: RequestHandler } = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  if (options.guard) app.use(options.guard);
  for (const router of routers) app.use(router);
  // A known path with the wrong method is 405 with Allow, not the 404 of an unknown path.
  app.use(methodNotAllowed(app));
  app.use((req, res) => sendProblem(res, new PrescaleError('ROUTE_NOT_FOUND', `no route for ${req.method} ${req.path}`, 'path')));
  app.use(errorHandler(logger));
  return app;
}
