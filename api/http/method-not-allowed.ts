import type { Express, RequestHandler } from 'express';
import { PrescaleError } from '../../src/errors/prescale-error';
import { sendProblem } from '../rest/problem';
import { type RegisteredRoute, registeredRoutes } from './route-table';

/**
 * Answers a known path asked with a method none of its routes answers: 405 with `Allow`
 * (RFC 9110 §15.5.6) and a problem+json body naming `method`, instead of the 404 an unknown
 * path gets. `OPTIONS` on a known path is 204 with `Allow`. Mount it after every route: the
 * route table is read on the first request, when the app is complete.
 */
export function methodNotAllowed(app: Express): RequestHandler {
  let routes: RegisteredRoute[] | null = null;
  return (req, res, next) => {
    routes ??= registeredRoutes(app);
    const allowed = new Set<string>();
    for (const r of routes) if (r.matches(req.path)) for (const m of r.methods) allowed.add(m);
    if (allowed.size === 0) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    allowed.add('OPTIONS');
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    if (allowed.has(req.method)) return next();
    sendProblem(res, new PrescaleError('METHOD_NOT_ALLOWED', `method: ${req.method} is not allowed on ${req.path}; use ${allow}`, 'method'));
  };
}
