import { X509Certificate, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Who a request is, once authenticated. */
export interface Identity {
  user: string;
  groups: string[];
  /** `front-proxy`: relayed by kube-apiserver, which already authorized the caller; `token`: a direct call. */
  via: 'front-proxy' | 'token';
  /** Namespaces the identity may read; null = every namespace served. */
  namespaces: ReadonlySet<string> | null;
}

export interface RequestAuthenticatorOptions {
  /**
   * True when the server verifies client certificates against the front-proxy CA bundle
   * (its `ca` option), so `socket.authorized` means "chains to the request-header CA".
   */
  frontProxyEnabled: boolean;
  /** Allowed CNs of the front-proxy certificate; empty = any certificate the CA signed. */
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  groupHeaders: readonly string[];
  /** Bearer tokens for direct calls. */
  tokens: ReadonlyArray<{ token: string; user: string; namespaces: readonly string[] }>;
}

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const AUTHENTICATED_GROUP = 'system:authenticated';

/**
 * Extension-API-server authentication (apiserver `headerrequest` + `authenticatorfactory`):
 * a client certificate that chains to the request-header CA, has clientAuth usage and an
 * allowed CN makes the `X-Remote-*` headers trustworthy; otherwise the headers are ignored
 * and only a configured bearer token authenticates. Every identity gets `system:authenticated`.
 */
export class RequestAuthenticator {
  private readonly allowed: ReadonlySet<string>;
  private readonly tokens: ReadonlyMap<string, { user: string; namespaces: ReadonlySet<string> | null }>;
  /** Certificate checks run once per TLS connection, not once per request. */
  private readonly verdicts = new WeakMap<TLSSocket, boolean>();

  constructor(private readonly options: RequestAuthenticatorOptions) {
    this.allowed = new Set(options.allowedNames);
    // Tokens are compared by SHA-256 digest, so the lookup time does not depend on how many characters match.
    this.tokens = new Map(
      options.tokens.map((t) => [digest(t.token), { user: t.user, namespaces: t.namespaces.length > 0 ? new Set(t.namespaces) : null }]),
    );
  }

  /** The identity of `req`, or null (→ 401). */
  authenticate(req: IncomingMessage): Identity | null {
    const socket = req.socket as TLSSocket;
    if (this.options.frontProxyEnabled && this.isFrontProxy(socket)) {
      const user = this.firstHeader(req, this.options.usernameHeaders);
      if (user) return { user, groups: [...this.allHeaders(req, this.options.groupHeaders), AUTHENTICATED_GROUP], via: 'front-proxy', namespaces: null };
    }
    const auth = req.headers.authorization;
    if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
      const found = this.tokens.get(digest(auth.slice(7).trim()));
      if (found) return { user: found.user, groups: [AUTHENTICATED_GROUP], via: 'token', namespaces: found.namespaces };
    }
    return null;
  }

  private isFrontProxy(socket: TLSSocket): boolean {
    const cached = this.verdicts.get(socket);
    if (cached !== undefined) return cached;
    const verdict = this.checkCertificate(socket);
    this.verdicts.set(socket, verdict);
    return verdict;
  }

  private checkCertificate(socket: TLSSocket): boolean {
    // `authorized` is OpenSSL's verdict against the server's `ca` (the request-header CA bundle),
    // validity dates included; then the checks Go's x509 verifier adds: usage and allowed names.
    if (!socket.authorized) return false;
    const peer = socket.getPeerCertificate();
    if (!peer || !peer.raw) return false;
    const cert = new X509Certificate(peer.raw);
    const usages = cert.keyUsage;
    if (usages !== undefined && usages.length > 0 && !usages.includes(CLIENT_AUTH_EKU)) return false;
    if (this.allowed.size === 0) return true;
    return this.allowed.has(commonName(cert.subject) ?? '');
  }

  private firstHeader(req: IncomingMessage, names: readonly string[]): string | undefined {
    for (const name of names) {
      const value = req.headersDistinct[name.toLowerCase()]?.find((v) => v !== '');
      if (value) return value;
    }
    return undefined;
  }

  private allHeaders(req: IncomingMessage, names: readonly string[]): string[] {
    return names.flatMap((name) => req.headersDistinct[name.toLowerCase()] ?? []);
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The CN of an X.509 subject as Node prints it (`C=..\nO=..\nCN=name`). */
export function commonName(subject: string): string | undefined {
  for (const line of subject.split('\n')) if (line.startsWith('CN=')) return line.slice(3);
  return undefined;
}
