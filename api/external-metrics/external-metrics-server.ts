import { type Server, createServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { ExternalMetricsConfig } from '../../src/config/kubernetes-schema';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { MetricValueService } from '../../src/metric-providers/metric-value-service';
import type { Logger } from '../../src/telemetry/logger';
import { SERVING_TLS_SETTINGS, readPem } from '../tls/serving-tls';
import type { PemPair } from '../tls/self-signed';
import type { RequestHeaderSettings } from './authentication-config-map';
import { externalMetricsHandler } from './external-metrics-handler';
import { RequestAuthenticator, parseCertificateBundle } from './request-authenticator';

export interface ExternalMetricsServerDeps {
  config: ExternalMetricsConfig;
  /** Settings read from the extension-apiserver-authentication ConfigMap; config keys win. */
  fromCluster?: RequestHeaderSettings;
  tls: PemPair;
  metrics: MetricValueService;
  logger: Logger;
  ready: () => boolean;
  observe?: (route: string, code: number, seconds: number) => void;
}

/**
 * The HTTPS aggregated API server (not yet listening). The client certificate is requested
 * but not required, so kubelet probes connect without one; the request-header CA is the
 * `ca` (with the client CA, if any); the authenticator tells them apart.
 * @throws {PrescaleError} INVALID_CONFIG for unreadable files.
 */
export function createExternalMetricsServer(deps: ExternalMetricsServerDeps): Server {
  const { config } = deps;
  const header = config.requestHeader;
  const cluster = deps.fromCluster ?? {};
  const requestHeaderPem = header.clientCAFile ? readPem(header.clientCAFile, 'externalMetrics.requestHeader.clientCAFile') : (cluster.clientCA ?? '');
  const clientPem = config.auth.clientCAFile ? readPem(config.auth.clientCAFile, 'externalMetrics.auth.clientCAFile') : '';
  const tokens = config.auth.bearerTokens.map((t, i) => ({ token: readToken(t.tokenFile, `externalMetrics.auth.bearerTokens[${i}].tokenFile`), user: t.user, namespaces: t.namespaces }));
  if (!requestHeaderPem && !clientPem && tokens.length === 0) {
    deps.logger.warn('externalMetrics: no requestHeader.clientCAFile, auth.clientCAFile or bearer tokens: every API request will get 401');
  }
  const authenticator = new RequestAuthenticator({
    requestHeaderCAs: parseCertificateBundle(requestHeaderPem),
    allowedNames: header.allowedNames ?? cluster.allowedNames ?? [],
    usernameHeaders: header.usernameHeaders ?? cluster.usernameHeaders ?? ['X-Remote-User'],
    groupHeaders: header.groupHeaders ?? cluster.groupHeaders ?? ['X-Remote-Group'],
    clientCAs: parseCertificateBundle(clientPem),
    clientCertNamespaces: config.auth.clientCertNamespaces,
    tokens,
  });
  const ca = `${requestHeaderPem}\n${clientPem}`.trim();
  const handler = externalMetricsHandler({
    metrics: deps.metrics,
    authenticator,
    logger: deps.logger,
    ready: deps.ready,
    ...(deps.observe ? { observe: deps.observe } : {}),
  });
  return createServer(
    { cert: deps.tls.cert, key: deps.tls.key, requestCert: true, rejectUnauthorized: false, ...SERVING_TLS_SETTINGS, keepAliveTimeout: 65_000, ...(ca !== '' ? { ca } : {}) },
    handler,
  );
}

function readToken(file: string, field: string): string {
  try {
    const token = readFileSync(file, 'utf8').trim();
    if (token === '') throw new Error('file is empty');
    return token;
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `${field}: cannot read a token from ${file}: ${(err as Error).message}`, field);
  }
}
