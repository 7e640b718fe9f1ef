import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { RestRole } from '../../src/config/server-auth-schema';
import { PrescaleError } from '../../src/errors/prescale-error';
import { type Problem, toProblem } from '../rest/problem';
import type { BearerAuthenticator } from './bearer-authenticator';
import { isLoopbackHost, requiredRole, roleAllows } from './rest-access-policy';

/**
 * `server.auth` on the REST API: every request but the open probes needs
 * `Authorization: Bearer <token>`. No or an unknown token → 401 (with `WWW-Authenticate`);
 * a known token whose role is too small → 403 naming the role needed. Authenticators are
 * tried in order (static tokens first: no network); the identity lands in `res.locals.identity`.
 */
export function restAuthMiddleware(authenticators: readonly BearerAuthenticator[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const needed = requiredRole(req.method, req.path);
    if (needed === null) return next();
    const token = bearerToken(req.headers.authorization);
    if (token === null) return unauthenticated(res, 'send Authorization: Bearer <token> (server.auth)');
    void (async () => {
      for (const authenticator of authenticators) {
        const identity = await authenticator.authenticate(token);
        if (identity === null) continue;
        if (identity.role === null || !roleAllows(identity.role, needed)) {
          return forbidden(res, needed, `${identity.name} holds ${identity.role === null ? 'no role' : `role ${identity.role}`}; ${req.method} ${req.path} needs role ${needed}`);
        }
        res.locals['identity'] = identity;
        return next();
      }
      unauthenticated(res, 'the bearer token is not valid');
    })().catch(next);
  };
}

/**
 * Without `server.auth` on a non-loopback listener, writes are for this host only: reads stay
 * open to everyone, and a request that needs `write` or `admin` from a peer that is not on
 * loopback gets 403 saying how to turn authentication on. Local processes (`prescale import`
 * next to the service, a sidecar) keep pushing, as they would to a loopback listener.
 */
export function loopbackOnlyWrites(): RequestHandler {
  return (req, res, next) => {
    const needed = requiredRole(req.method, req.path);
    if (needed === null || needed === 'read') return next();
    const peer = req.socket.remoteAddress;
    if (peer !== undefined && isLoopbackHost(peer)) return next();
    forbidden(
      res,
      needed,
      `${req.method} ${req.path} changes state, and without authentication the service accepts that only from its own host: ` +
        'configure server.auth (tokens: [{ name, tokenFile, role: write|admin }], or kubernetes: { tokenReview: true, roles }) ' +
        'and send Authorization: Bearer <token>, or listen on loopback (server.host: 127.0.0.1)',
    );
  };
}

/** The token of an `Authorization: Bearer` header (scheme case-insensitive, RFC 6750), or null. */
export function bearerToken(header: string | undefined): string | null {
  const match = header === undefined ? null : /^bearer +(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

function unauthenticated(res: Response, detail: string): void {
  res.setHeader('WWW-Authenticate', 'Bearer realm="prescale"');
  send(res, { ...toProblem(new PrescaleError('UNAUTHENTICATED', detail, 'Authorization')), title: 'The request carries no valid bearer token.' });
}

function forbidden(res: Response, needed: RestRole, detail: string): void {
  // The catalog's FORBIDDEN title speaks of namespaces (the aggregated API); a role is what is missing here.
  send(res, { ...toProblem(new PrescaleError('FORBIDDEN', detail)), title: `Role ${needed} is needed.`, requiredRole: needed });
}

function send(res: Response, problem: Problem & { requiredRole?: RestRole }): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
