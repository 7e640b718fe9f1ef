import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { RestRole } from '../../src/config/server-auth-schema';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { BearerAuthenticator, RestIdentity } from './bearer-authenticator';
import { largerRole } from './rest-access-policy';

/** Where the Kubernetes API is and the files that authenticate Prescale to it (in a pod: the service account's). */
export interface KubernetesApiFiles {
  /** Base URL, e.g. `https://kubernetes.default.svc`. */
  url: string;
  /** Bearer token file; read on every review, because the kubelet rotates projected tokens. */
  tokenFile: string;
  /** PEM CA bundle of the API server's certificate (https URLs). */
  caFile?: string;
}

export interface TokenReviewOptions {
  api: KubernetesApiFiles;
  /** Role per username or group; the largest match wins. */
  roles: Readonly<Record<string, RestRole>>;
  audiences?: readonly string[];
  /** How long an answer (authenticated or not) is reused, in ms. */
  cacheTtlMs: number;
  /** Clock in ms (injected for tests). */
  now: () => number;
  timeoutMs?: number;
  /** Bound on cached answers; the oldest goes first. */
  maxCacheEntries?: number;
}

export const TOKEN_REVIEW_PATH = '/apis/authentication.k8s.io/v1/tokenreviews';

interface ReviewStatus {
  authenticated?: boolean;
  user?: { username?: string; groups?: string[] };
  audiences?: string[];
  error?: string;
}

/**
 * Bearer tokens checked by the cluster: `POST /apis/authentication.k8s.io/v1/tokenreviews`
 * with Prescale's own service-account token (which needs the ClusterRole
 * `system:auth-delegator`). The API answers 201 with `status.authenticated`; an invalid
 * token is a 201 with `authenticated: false`, not an error. Answers are cached by token
 * digest for `cacheTtlMs` (the generic apiserver caches for 10 s) so a push storm costs one
 * review; failures of the API itself are not cached.
 */
export class TokenReviewAuthenticator implements BearerAuthenticator {
  private readonly cache = new Map<string, { expiresMs: number; identity: RestIdentity | null }>();

  constructor(private readonly options: TokenReviewOptions) {}

  async authenticate(token: string): Promise<RestIdentity | null> {
    const key = createHash('sha256').update(token, 'utf8').digest('hex');
    const now = this.options.now();
    const hit = this.cache.get(key);
    if (hit && hit.expiresMs > now) return hit.identity;
    const identity = this.identityOf(await this.review(token));
    this.cache.delete(key);
    this.cache.set(key, { expiresMs: now + this.options.cacheTtlMs, identity });
    const max = this.options.maxCacheEntries ?? 10_000;
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= max) break;
      this.cache.delete(oldest);
    }
    return identity;
  }

  private identityOf(status: ReviewStatus): RestIdentity | null {
    const username = status.user?.username;
    if (status.authenticated !== true || !username) return null;
    const wanted = this.options.audiences;
    // The API narrows status.audiences to those the token carries; none in common = not for us.
    if (wanted && wanted.length > 0 && !(status.audiences ?? []).some((a) => wanted.includes(a))) return null;
    let role: RestRole | null = this.options.roles[username] ?? null;
    for (const group of status.user?.groups ?? []) role = largerRole(role, this.options.roles[group] ?? null);
    return { name: username, role, via: 'token-review' };
  }

  private async review(token: string): Promise<ReviewStatus> {
    const { api } = this.options;
    const fail = (why: string): PrescaleError => new PrescaleError('UPSTREAM_UNAVAILABLE', `TokenReview: ${why}`);
    let own: string;
    let ca: string | undefined;
    try {
      own = (await readFile(api.tokenFile, 'utf8')).trim();
      ca = api.caFile ? await readFile(api.caFile, 'utf8') : undefined;
    } catch (err) {
      throw fail(`cannot read the service account's credentials: ${(err as Error).message}`);
    }
    const body = JSON.stringify({
      apiVersion: 'authentication.k8s.io/v1',
      kind: 'TokenReview',
      spec: { token, ...(this.options.audiences ? { audiences: this.options.audiences } : {}) },
    });
    const url = new URL(TOKEN_REVIEW_PATH, api.url);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<ReviewStatus>((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          ...(ca ? { ca } : {}),
          timeout: timeoutMs,
          headers: { Authorization: `Bearer ${own}`, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': Buffer.byteLength(body) },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => {
            const code = res.statusCode ?? 0;
            let parsed: { status?: ReviewStatus; message?: string } = {};
            try {
              parsed = JSON.parse(text) as typeof parsed;
            } catch {
              // A non-JSON answer is reported by its status code below.
            }
            if (code !== 200 && code !== 201) return reject(fail(`HTTP ${code} ${parsed.message ?? ''}`.trim()));
            resolve(parsed.status ?? {});
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      req.on('error', (err) => reject(fail(err.message)));
      req.end(body);
    });
  }
}
