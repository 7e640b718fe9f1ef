import type { IncomingMessage, ServerResponse } from 'node:http';
import { PrescaleError } from '../../src/errors/prescale-error';
import { parseLabelSelector, selectorPins } from './label-selector';
import type { MetricReading } from '../../src/metric-providers/metric-provider';
import type { MetricValueService } from '../../src/metric-providers/metric-value-service';
import { MAX_QUANTITY_MAGNITUDE, formatQuantity } from './quantity';
import type { Logger } from '../../src/telemetry/logger';
import {
  API_GROUP,
  API_GROUP_LIST,
  GROUP,
  GROUP_VERSION,
  OPENAPI_V2,
  OPENAPI_V3,
  OPENAPI_V3_INDEX,
  OPENAPI_V3_PATH,
  apiResourceList,
} from './discovery';
import type { Identity, RequestAuthenticator } from './request-authenticator';
import { MetricResponseCache } from './metric-response-cache';
import { toStatus } from './status';

export interface ExternalMetricsHandlerDeps {
  metrics: MetricValueService;
  authenticator: RequestAuthenticator;
  logger: Logger;
  /** Readiness of the service (the first forecast pass). */
  ready: () => boolean;
  /** Counts answers per route and code. */
  observe?: (route: string, code: number, seconds: number) => void;
}

const PROBES = new Set(['/healthz', '/livez', '/readyz', '/healthz/ping', '/livez/ping', '/readyz/ping']);
const GROUP_PATH = `/apis/${GROUP}`;
const VERSION_PATH = `/apis/${GROUP_VERSION}`;
const METRIC_PREFIX = `${VERSION_PATH}/namespaces/`;
const STALE_LABEL = 'prescale.dev/stale';

/**
 * The aggregated API server's HTTP surface (as the kube-aggregator proxies it): probes without
 * auth, discovery and OpenAPI for any authenticated identity, and the namespaced metric list.
 * A bare Node handler (no framework): it sits on the HPA's synchronous reconcile path.
 */
export function externalMetricsHandler(deps: ExternalMetricsHandlerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const groupListBody = JSON.stringify(API_GROUP_LIST);
  const groupBody = JSON.stringify(API_GROUP);
  const openApiV2Body = JSON.stringify(OPENAPI_V2);
  const openApiV3IndexBody = JSON.stringify(OPENAPI_V3_INDEX);
  const openApiV3Body = JSON.stringify(OPENAPI_V3);
  const cache = new MetricResponseCache();
  const versionBody = JSON.stringify({ major: '1', minor: '0', gitVersion: 'v0.1.0-prescale', platform: `${process.platform}/${process.arch}` });

  return (req, res) => {
    const started = process.hrtime.bigint();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    let route = 'other';
    const send = (code: number, body: string | Buffer, type = 'application/json'): void => {
      res.writeHead(code, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      deps.observe?.(route, code, Number(process.hrtime.bigint() - started) / 1e9);
    };
    const fail = (err: PrescaleError, details?: { group?: string; kind?: string }): void => {
      const status = toStatus(err, details);
      send(status.code, JSON.stringify(status));
    };
    try {
      if (PROBES.has(path)) {
        route = 'probe';
        const ok = !path.startsWith('/readyz') || deps.ready();
        return send(ok ? 200 : 503, ok ? 'ok' : 'forecasts not ready', 'text/plain; charset=utf-8');
      }
      const identity = deps.authenticator.authenticate(req);
      if (!identity) return fail(new PrescaleError('UNAUTHENTICATED', 'Unauthorized'));
      if (path.startsWith(METRIC_PREFIX)) {
        route = 'metric';
        return metric(path, url, q, identity, req.method, send, fail, deps, cache);
      }
      const body = discovery(path, () => JSON.stringify(apiResourceList(deps.metrics.metricNames())));
      if (body === undefined) return fail(new PrescaleError('ROUTE_NOT_FOUND', 'the server could not find the requested resource'));
      route = 'discovery';
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(new PrescaleError('METHOD_NOT_ALLOWED', `${req.method} is not supported on ${path}`));
      return send(200, body);
    } catch (err) {
      deps.logger.error({ err, path }, 'external metrics request failed');
      return fail(new PrescaleError('INTERNAL', 'unable to fetch metrics'));
    }

    function discovery(p: string, resources: () => string): string | undefined {
      switch (p) {
        case '/apis':
          return groupListBody;
        case GROUP_PATH:
          return groupBody;
        case VERSION_PATH:
          return resources();
        case '/openapi/v2':
          return openApiV2Body;
        case '/openapi/v3':
          return openApiV3IndexBody;
        case OPENAPI_V3_PATH:
          return openApiV3Body;
        case '/version':
          return versionBody;
        default:
          return undefined;
      }
    }
  };
}

/** `GET .../namespaces/{ns}/{metric}?labelSelector=...` → `ExternalMetricValueList` with exactly one item. */
function metric(
  path: string,
  url: string,
  q: number,
  identity: Identity,
  method: string | undefined,
  send: (code: number, body: string | Buffer) => void,
  fail: (err: PrescaleError, details?: { group?: string; kind?: string }) => void,
  deps: ExternalMetricsHandlerDeps,
  cache: MetricResponseCache,
): void {
  // The checks run in the same order whether or not the URL's parse is cached (a cached parse
  // is one that passed them): 404 for the path, 405, 403, then 400 for the selector.
  const cached = cache.parsed(url);
  const target = cached ?? metricPath(path);
  if (!target) return fail(new PrescaleError('ROUTE_NOT_FOUND', 'the server could not find the requested resource'));
  const { namespace, metricName } = target;
  if (method !== 'GET') return fail(new PrescaleError('METHOD_NOT_ALLOWED', `${method} is not supported on external metrics; use GET`));
  if (identity.namespaces && !identity.namespaces.has(namespace)) {
    return fail(
      new PrescaleError(
        'FORBIDDEN',
        `${metricName}.${GROUP} is forbidden: User "${identity.user}" cannot list resource "${metricName}" in API group "${GROUP}" in the namespace "${namespace}"`,
      ),
      { group: GROUP, kind: metricName },
    );
  }
  try {
    let pins = cached?.pins;
    if (!pins) {
      // Only labelSelector matters; the HPA sends nothing else, and other list options are ignored.
      const selector = q === -1 ? '' : (new URLSearchParams(url.slice(q + 1)).get('labelSelector') ?? '');
      pins = selectorPins(parseLabelSelector(selector));
      cache.keepParsed(url, { namespace, metricName, pins });
    }
    const reading = deps.metrics.read({ metricName, namespace, params: pins, fieldPrefix: 'labelSelector.' });
    send(200, cache.body(url, reading, () => JSON.stringify(valueList(reading, pins))));
  } catch (err) {
    if (err instanceof PrescaleError) return fail(err);
    throw err;
  }
}

function valueList(reading: MetricReading, pins: Record<string, string>): object {
  // The reading is finite and ≥ 0 (the metric value service's rule); a Quantity holds at most int64 milli-units.
  const value = Math.min(MAX_QUANTITY_MAGNITUDE, reading.value);
  return {
    kind: 'ExternalMetricValueList',
    apiVersion: GROUP_VERSION,
    metadata: {},
    items: [
      {
        metricName: reading.metricName,
        metricLabels: reading.stale ? { ...pins, [STALE_LABEL]: 'true' } : pins,
        // meta/v1 Time: RFC 3339 in UTC with whole seconds, as Go writes it.
        timestamp: `${new Date(reading.timestampMs).toISOString().slice(0, 19)}Z`,
        ...(reading.windowSeconds !== undefined ? { window: reading.windowSeconds } : {}),
        value: formatQuantity(value),
      },
    ],
  };
}

/** Namespace and metric name of `.../namespaces/{ns}/{metric}`, or null (→ 404). */
function metricPath(path: string): { namespace: string; metricName: string } | null {
  const segments = path.slice(METRIC_PREFIX.length).split('/');
  if (segments.length !== 2) return null;
  const namespace = decode(segments[0] as string);
  const metricName = decode(segments[1] as string);
  return namespace && metricName ? { namespace, metricName } : null;
}

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
