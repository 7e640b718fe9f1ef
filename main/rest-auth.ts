import { readFileSync } from 'node:fs';
import type { RequestHandler } from 'express';
import type { BearerAuthenticator } from '../api/auth/bearer-authenticator';
import { isLoopbackHost } from '../api/auth/rest-access-policy';
import { loopbackOnlyWrites, restAuthMiddleware } from '../api/auth/rest-auth-middleware';
import { StaticTokenAuthenticator } from '../api/auth/static-token-authenticator';
import { type KubernetesApiFiles, TokenReviewAuthenticator } from '../api/auth/token-review-authenticator';
import type { Config } from '../src/config/schema';
import { PrescaleError } from '../src/errors/prescale-error';
import type { Logger } from '../src/telemetry/logger';
import { IN_CLUSTER_API } from './in-cluster-api';

/** Shorter tokens are guessable; 16 characters is the floor (a random 32-byte token is the advice). */
const MIN_TOKEN_LENGTH = 16;

/**
 * The REST guard for `server`: `server.auth` → bearer tokens and roles; no auth on a
 * non-loopback address → writes and admin calls from other hosts refused (logged once, at
 * start); no auth on loopback → none (only local processes can connect).
 * @throws {PrescaleError} INVALID_CONFIG when a token file cannot be read or is too short.
 */
export function restGuard(options: { server: Config['server']; logger: Logger; kubernetesApi?: KubernetesApiFiles; now: () => number }): RequestHandler | undefined {
  const { server, logger } = options;
  const auth = server.auth;
  if (!auth) {
    if (isLoopbackHost(server.host)) return undefined;
    logger.warn(
      { host: server.host },
      'server.auth is not configured and the HTTP API listens on a non-loopback address: pushes, training, promotion and rollback from other hosts will be refused with 403 (reads stay open; this host may still write); configure server.auth tokens or kubernetes.tokenReview to allow them',
    );
    return loopbackOnlyWrites();
  }
  const authenticators: BearerAuthenticator[] = [
    new StaticTokenAuthenticator(auth.tokens.map((t, i) => ({ name: t.name, role: t.role, token: readToken(t.tokenFile, `server.auth.tokens[${i}].tokenFile`) }))),
  ];
  const kube = auth.kubernetes;
  if (kube?.tokenReview) {
    authenticators.push(
      new TokenReviewAuthenticator({
        api: options.kubernetesApi ?? IN_CLUSTER_API,
        roles: kube.roles,
        ...(kube.audiences ? { audiences: kube.audiences } : {}),
        cacheTtlMs: kube.cacheTTL * 1000,
        now: options.now,
      }),
    );
  }
  logger.info({ tokens: auth.tokens.map((t) => ({ name: t.name, role: t.role })), tokenReview: kube?.tokenReview ?? false }, 'REST API authentication on (server.auth)');
  return restAuthMiddleware(authenticators);
}

function readToken(file: string, field: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `${field}: cannot read ${file}: ${(err as Error).message}`, field);
  }
  if (token.length < MIN_TOKEN_LENGTH) throw new PrescaleError('INVALID_CONFIG', `${field}: the token in ${file} is shorter than ${MIN_TOKEN_LENGTH} characters`, field);
  return token;
}
