import { X509Certificate, createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/** Who a request is, once authenticated. */
export interface Identity {
  user: string;
  groups: string[];
  /**
   * `front-proxy`: relayed by kube-apiserver, which already authorized the caller;
   * `client-cert` and `token`: direct calls.
   */
  via: 'front-proxy' | 'client-cert' | 'token';
  /** Namespaces the identity may read; null = every namespace served. */
  namespaces: ReadonlySet<string> | null;
}

export interface RequestAuthenticatorOptions {
  /** Front-proxy (request-header) CA certificates; empty = front-proxy authentication off. */
  requestHeaderCAs: readonly X509Certificate[];
  /** Allowed CNs of the front-proxy certificate; empty = any certificate the CA signed. */
  allowedNames: readonly string[];
  usernameHeaders: readonly string[];
  groupHeaders: readonly string[];
  /** CAs of client certificates for direct calls (user = CN, groups = O); empty = off. */
  clientCAs: readonly X509Certificate[];
  /** Namespace limits per client-certificate user; users not listed read every namespace served. */
  clientCertNamespaces: Readonly<Record<string, readonly string[]>>;
  /** Bearer tokens for direct calls. */
  tokens: ReadonlyArray<{ token: string; user: string; namespaces: readonly string[] }>;
}

const CLIENT_AUTH_EKU = '1.3.6.1.5.5.7.3.2';
const AUTHENTICATED_GROUP = 'system:authenticated';

/** What a connection's client certificate proves; computed once per TLS connection. */
type CertVerdict = { kind: 'front-proxy' } | { kind: 'client'; user: string; groups: string[] } | { kind: 'none' };

/**
 * Extension-API-server authentication, in the generic apiserver's order
 * (`authenticatorfactory/delegating.go`): (1) a client certificate from the request-header CA,
 * with clientAuth usage and an allowed CN, makes the `X-Remote-*` headers trustworthy —
 * without it they are ignored; (2) a client certificate from the client CA (user = CN,
 * groups = O); (3) a configured bearer token. Every identity gets `system:authenticated`.
 */
export class RequestAuthenticator {
  private readonly allowed: ReadonlySet<string>;
  private readonly tokens: ReadonlyMap<string, { user: string; namespaces: ReadonlySet<string> | null }>;
  private readonly verdicts = new WeakMap<TLSSocket, CertVerdict>();

  constructor(private readonly options: RequestAuthenticatorOptions) {
    this.allowed = new Set(options.allowedNames);
    // Tokens are compared by SHA-256 digest, so lookup time does not depend on how many characters match.
    this.tokens = new Map(
      options.tokens.map((t) => [digest(t.token), { user: t.user, namespaces: t.namespaces.length > 0 ? new Set(t.namespaces) : null }]),
    );
  }

  /** The identity of `req`, or null (→ 401). */
  authenticate(req: IncomingMessage): Identity | null {
    const verdict = this.verdict(req.socket as TLSSocket);
    if (verdict.kind === 'front-proxy') {
      const user = this.firstHeader(req, this.options.usernameHeaders);
      if (user) return { user, groups: [...this.allHeaders(req, this.options.groupHeaders), AUTHENTICATED_GROUP], via: 'front-proxy', namespaces: null };
    } else if (verdict.kind === 'client') {
      const limit = this.options.clientCertNamespaces[verdict.user];
      return { user: verdict.user, groups: [...verdict.groups, AUTHENTICATED_GROUP], via: 'client-cert', namespaces: limit ? new Set(limit) : null };
    }
    const auth = req.headers.authorization;
    if (auth && auth.length > 7 && auth.slice(0, 7).toLowerCase() === 'bearer ') {
      const found = this.tokens.get(digest(auth.slice(7).trim()));
      if (found) return { user: found.user, groups: [AUTHENTICATED_GROUP], via: 'token', namespaces: found.namespaces };
    }
    return null;
  }

  private verdict(socket: TLSSocket): CertVerdict {
    let verdict = this.verdicts.get(socket);
    if (!verdict) {
      verdict = this.checkCertificate(socket);
      this.verdicts.set(socket, verdict);
    }
    return verdict;
  }

  private checkCertificate(socket: TLSSocket): CertVerdict {
    // `authorized` is OpenSSL's chain verdict against the server's `ca` (both bundles), validity
    // dates included. Which bundle issued it, the usage and the allowed names are checked here,
    // because Node's single `ca` option cannot tell the front-proxy CA from the client CA.
    if (!socket.authorized || typeof socket.getPeerCertificate !== 'function') return { kind: 'none' };
    const peer = socket.getPeerCertificate(true);
    if (!peer || !peer.raw) return { kind: 'none' };
    const chain = presentedChain(peer);
    const leaf = chain[0] as X509Certificate;
    const usages = leaf.keyUsage;
    if (usages !== undefined && usages.length > 0 && !usages.includes(CLIENT_AUTH_EKU)) return { kind: 'none' };
    if (issuedBy(chain, this.options.requestHeaderCAs)) {
      const name = subjectField(leaf.subject, 'CN') ?? '';
      return this.allowed.size === 0 || this.allowed.has(name) ? { kind: 'front-proxy' } : { kind: 'none' };
    }
    if (issuedBy(chain, this.options.clientCAs)) {
      const user = subjectField(leaf.subject, 'CN');
      return user ? { kind: 'client', user, groups: subjectFields(leaf.subject, 'O') } : { kind: 'none' };
    }
    return { kind: 'none' };
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

/** Leaf first, then the intermediates the client sent (stops at a self-signed one). */
function presentedChain(peer: { raw: Buffer; issuerCertificate?: { raw: Buffer; issuerCertificate?: unknown } }): X509Certificate[] {
  const chain = [new X509Certificate(peer.raw)];
  let next = peer.issuerCertificate as typeof peer | undefined;
  while (next && next.raw && chain.length < 6 && !next.raw.equals(chain[chain.length - 1]!.raw)) {
    chain.push(new X509Certificate(next.raw));
    next = next.issuerCertificate as typeof peer | undefined;
  }
  return chain;
}

/** True when some certificate of the chain (walking up from the leaf) is signed by one of `cas`. */
function issuedBy(chain: readonly X509Certificate[], cas: readonly X509Certificate[]): boolean {
  for (const cert of chain) {
    for (const ca of cas) if (cert.checkIssued(ca) && cert.verify(ca.publicKey)) return true;
  }
  return false;
}

/** Parses a PEM bundle into certificates. */
export function parseCertificateBundle(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((b) => new X509Certificate(b));
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function subjectFields(subject: string, key: string): string[] {
  return subject
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));
}

/** The first value of `key` in an X.509 subject as Node prints it (`O=..\nCN=name`). */
export function subjectField(subject: string, key: string): string | undefined {
  return subjectFields(subject, key)[0];
}
