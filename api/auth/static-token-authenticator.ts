import { createHash, timingSafeEqual } from 'node:crypto';
import type { RestRole } from '../../src/config/server-auth-schema';
import type { BearerAuthenticator, RestIdentity } from './bearer-authenticator';

/** A configured token, already read from its file. */
export interface StaticToken {
  name: string;
  token: string;
  role: RestRole;
}

/**
 * Static bearer tokens. The presented token and every configured one are compared as SHA-256
 * digests with `timingSafeEqual`: equal-length inputs, and every entry is compared (no early
 * exit), so the answer time tells nothing about how much of a token matched or which one.
 */
export class StaticTokenAuthenticator implements BearerAuthenticator {
  private readonly entries: ReadonlyArray<{ digest: Buffer; identity: RestIdentity }>;

  constructor(tokens: readonly StaticToken[]) {
    this.entries = tokens.map((t) => ({ digest: sha256(t.token), identity: { name: t.name, role: t.role, via: 'token' } }));
  }

  authenticate(token: string): Promise<RestIdentity | null> {
    const presented = sha256(token);
    let found: RestIdentity | null = null;
    for (const entry of this.entries) {
      if (timingSafeEqual(presented, entry.digest)) found = entry.identity;
    }
    return Promise.resolve(found);
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
