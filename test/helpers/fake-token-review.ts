import { randomUUID } from 'node:crypto';

/** The TokenReview resource path (authentication.k8s.io/v1, cluster-scoped, create only). */
export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

/** The API server's own audience, used when a TokenReview names none. */
export const API_AUDIENCE = 'https://kubernetes.default.svc.cluster.local';

interface KnownToken {
  username: string;
  uid: string;
  groups: string[];
  audiences: string[];
  /** Holds `create` on tokenreviews (the ClusterRole system:auth-delegator). */
  canReviewTokens: boolean;
}

/** The tokens an in-test API server accepts, for TokenReview and as callers' credentials. */
export class FakeTokens {
  private readonly known = new Map<string, KnownToken>();

  /** Registers a service-account token, as the TokenRequest API would issue it. */
  addServiceAccountToken(token: string, namespace: string, name: string, options: { audiences?: string[]; canReviewTokens?: boolean } = {}): void {
    this.known.set(token, {
      username: `system:serviceaccount:${namespace}:${name}`,
      uid: randomUUID(),
      groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`, 'system:authenticated'],
      audiences: options.audiences ?? [API_AUDIENCE],
      canReviewTokens: options.canReviewTokens ?? false,
    });
  }

  /** Forgets a token (deleted service account, expired token): later reviews say unauthenticated. */
  revoke(token: string): void {
    this.known.delete(token);
  }

  get(token: string): KnownToken | undefined {
    return this.known.get(token);
  }
}

function status(code: number, reason: string, message: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/**
 * Answers `POST /apis/authentication.k8s.io/v1/tokenreviews` by the real API's rules: the
 * caller's own token must be known (unknown → 401; none → 403 as `system:anonymous`) and
 * may create tokenreviews (else 403); `application/json` only (415); a `TokenReview` of
 * `authentication.k8s.io/v1` (400); an empty `spec.token` → 400; other methods → 405. The
 * answer is 201 with `status`: `authenticated: true` and the user, or, for an unknown token
 * or one without a requested audience, `authenticated` omitted (false) and an `error`;
 * `status.audiences` is the intersection of the requested (default: the API server's) and
 * the token's audiences.
 */
export function answerTokenReview(
  tokens: FakeTokens,
  req: { authorization: string | undefined; method: string; contentType: string | undefined; body: string },
  reply: (status: number, payload: unknown) => void,
): void {
  const header = req.authorization;
  const caller = header?.startsWith('Bearer ') ? tokens.get(header.slice(7).trim()) : undefined;
  if (header !== undefined && !caller) return reply(401, status(401, 'Unauthorized', 'Unauthorized'));
  if (!caller?.canReviewTokens) {
    const who = caller?.username ?? 'system:anonymous';
    return reply(403, status(403, 'Forbidden', `tokenreviews.authentication.k8s.io is forbidden: User "${who}" cannot create resource "tokenreviews" in API group "authentication.k8s.io" at the cluster scope`));
  }
  if (req.method !== 'POST') return reply(405, status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource'));
  if (req.contentType !== 'application/json') {
    return reply(415, status(415, 'UnsupportedMediaType', 'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf'));
  }
  let review: { apiVersion?: string; kind?: string; spec?: { token?: string; audiences?: string[] } };
  try {
    review = JSON.parse(req.body) as typeof review;
  } catch {
    return reply(400, status(400, 'BadRequest', 'the request body is not valid JSON'));
  }
  if (review.kind !== 'TokenReview' || review.apiVersion !== 'authentication.k8s.io/v1') {
    return reply(400, status(400, 'BadRequest', `the API version in the data (${String(review.apiVersion)}) does not match the expected API version (authentication.k8s.io/v1)`));
  }
  const token = review.spec?.token ?? '';
  if (token === '') return reply(400, status(400, 'BadRequest', 'token is required for TokenReview in authentication'));
  const wanted = review.spec?.audiences?.length ? review.spec.audiences : [API_AUDIENCE];
  const user = tokens.get(token);
  const answer = { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', metadata: { creationTimestamp: null }, spec: review.spec };
  if (!user) return reply(201, { ...answer, status: { user: {}, error: '[invalid bearer token, square/go-jose: error in cryptographic primitive]' } });
  const audiences = user.audiences.filter((a) => wanted.includes(a));
  if (audiences.length === 0) {
    return reply(201, { ...answer, status: { user: {}, error: `[invalid bearer token, token audiences ${JSON.stringify(user.audiences)} is invalid for the target audiences ${JSON.stringify(wanted)}]` } });
  }
  reply(201, { ...answer, status: { authenticated: true, user: { username: user.username, uid: user.uid, groups: user.groups }, audiences } });
}
