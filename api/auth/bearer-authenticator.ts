import type { RestRole } from '../../src/config/server-auth-schema';

/** Who a REST request is, once its bearer token checked out. */
export interface RestIdentity {
  /** The static token's `name`, or the Kubernetes username. */
  name: string;
  /** The role it holds; null = authenticated but given no role (→ 403). */
  role: RestRole | null;
  via: 'token' | 'token-review';
}

/** One way of checking a bearer token. */
export interface BearerAuthenticator {
  /**
   * The identity `token` proves, or null when this authenticator does not know it.
   * @throws {PrescaleError} UPSTREAM_UNAVAILABLE when the check itself could not run (→ 503, never cached).
   */
  authenticate(token: string): Promise<RestIdentity | null>;
}
