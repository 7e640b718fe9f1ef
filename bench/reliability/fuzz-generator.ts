import type { OutgoingHttpHeaders } from 'node:http';
import type { Random } from './random';

/** Which listener a fuzzed request goes to: REST (HTTP), or the aggregated API (HTTPS) with or without the front-proxy certificate. */
export type FuzzTarget = 'rest' | 'aggregated' | 'aggregated-anonymous';

export interface FuzzRequest {
  target: FuzzTarget;
  method: string;
  path: string;
  headers: OutgoingHttpHeaders;
  body?: string | Buffer;
}

/** Series the fuzzer may write to; the canary is only ever read. */
export const FUZZ_SERIES = ['fuzz-a', 'fuzz-b'] as const;
export const CANARY_SERIES = 'canary-rps';

const REST_PATHS = [
  '/healthz', '/livez', '/readyz', '/metrics', '/', '/dashboard', '/v1/status', '/v1/series', '/v1/plans', '/v1/plans/{pool}',
  '/v1/series/{name}/samples', '/v1/forecasts/{name}', '/v1/metrics-api/{name}', '/v1/models/{name}',
  '/v1/models/{name}/train', '/v1/models/{name}/promote', '/v1/models/{name}/rollback',
];
const AGGREGATED_PATHS = [
  '/apis', '/apis/external.metrics.k8s.io', '/apis/external.metrics.k8s.io/v1beta1', '/openapi/v2', '/openapi/v3',
  '/openapi/v3/apis/external.metrics.k8s.io/v1beta1', '/apis/external.metrics.k8s.io/v1beta1/namespaces/{ns}/{name}',
  '/healthz', '/readyz', '/livez',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'X-FUZZ'];
const QUERY_KEYS = ['from', 'to', 'horizon', 'quantile', 'aggregate', 'labelSelector', 'step', 'version', 'at', '__proto__[x]', 'constructor[prototype][y]', 'a[b][c]'];
const CONTENT_TYPES = [
  'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16', 'application/merge-patch+json', 'text/csv', 'text/plain',
  'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'text/html', '*/*', ';;;', 'application/json; charset=nope',
];

/** Values that break parsers: huge, tiny, negative, non-numbers, odd units and encodings. */
function oddValue(r: Random): string {
  return r.pick([
    '5m', '0.1s', '0', '-1', '1e308', '1e-320', 'NaN', 'Infinity', '0x10', '', ' ', '10000h', '9'.repeat(400), '1m1m', '2026-08-20T12:00:00Z',
    '5138-01-01T00:00:00Z', '1970-01-01T00:00:00Z', '%', '%zz', '%00', '%c0%af', '..%2f..%2f', 'max', 'at', 'mean', '0.9', '1', '0.5,0.9',
    'horizon=30m,quantile=0.5', 'aggregate in (max)', 'horizon!=5m', 'quantile=2', '=', ',,,', r.text(r.int(1, 30)), 'x'.repeat(r.int(1000, 9000)),
  ]);
}

function seriesName(r: Random, write: boolean): string {
  const names: string[] = [...FUZZ_SERIES, 'nope', '', '%2e%2e', '..', 'a'.repeat(300), r.text(r.int(1, 12)), 'canary-pool', 'fuzz-a%00'];
  if (!write) names.push(CANARY_SERIES);
  return r.pick(names);
}

/** Samples (or a broken imitation) as a JSON or CSV body. */
function body(r: Random): string | Buffer {
  const now = Date.now();
  const sample = (): unknown => ({ t: new Date(now - r.int(0, 86_400) * 1000).toISOString(), v: r.next() * 1000 });
  return r.pick<() => string | Buffer>([
    () => JSON.stringify(Array.from({ length: r.int(1, 50) }, sample)),
    () => JSON.stringify([{ t: r.pick([now / 1000, now, 'yesterday', null, 1e20, -1]), v: r.pick([1, -1, 1e308, 'NaN', null, {}, [1]]) }]),
    () => JSON.stringify({ version: r.pick(['v000001', 'v999999', '../../etc/passwd', '', 1, null]) }),
    () => JSON.stringify({ __proto__: { polluted: true }, constructor: { prototype: { polluted: true } } }),
    () => '['.repeat(r.int(10, 5000)) + ']'.repeat(r.int(0, 10)),
    () => `{"t": "${'9'.repeat(r.int(10, 2000))}", "v": 1}`,
    () => '[{"t":"2026-01-01T00:00:00Z","v":1},',
    () => Array.from({ length: r.int(1, 20) }, () => `${r.pick([new Date(now).toISOString(), String(now / 1000), 'x', ''])},${r.pick(['1', '-5', 'NaN', '1e999', ''])}`).join('\n'),
    () => r.text(r.int(0, 500)),
    () => Buffer.from(Array.from({ length: r.int(1, 2000) }, () => r.int(0, 255))),
    () => (r.chance(0.05) ? 'x'.repeat(r.int(1_000_000, 3_000_000)) : '{}'),
  ])();
}

/** Characters Node's client refuses in a path (below 0x21 or above 0xff) are percent-encoded; everything else goes raw. */
function sendablePath(path: string): string {
  return path.replace(/[^\u0021-\u00ff]/gu, (c) => encodeURIComponent(c));
}

function query(r: Random): string {
  if (r.chance(0.3)) return '';
  const parts = Array.from({ length: r.int(1, 4) }, () => `${r.pick(QUERY_KEYS)}=${r.chance(0.7) ? encodeURIComponent(oddValue(r)) : oddValue(r)}`);
  return `?${parts.join('&')}`;
}

function headers(r: Random, contentType: boolean): OutgoingHttpHeaders {
  const h: OutgoingHttpHeaders = {};
  if (contentType) h['content-type'] = r.pick(CONTENT_TYPES);
  if (r.chance(0.1)) h['content-encoding'] = r.pick(['gzip', 'deflate', 'br', 'identity', 'x-nope']);
  if (r.chance(0.1)) h['accept'] = r.pick(['application/vnd.kubernetes.protobuf, */*', 'text/html', 'application/json;as=Table;v=v1;g=meta.k8s.io', '']);
  if (r.chance(0.1)) h['authorization'] = r.pick(['Bearer ', 'Bearer x', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(5000)}`]);
  if (r.chance(0.1)) h['x-remote-user'] = r.pick(['system:admin', '', 'a'.repeat(1000)]);
  if (r.chance(0.05)) h['x-remote-group'] = ['system:masters', 'x'];
  if (r.chance(0.03)) h['x-huge'] = 'h'.repeat(r.int(8_000, 20_000));
  if (r.chance(0.03)) h['expect'] = '100-continue';
  return h;
}

/** One random request. Writes never name the canary series. */
export function fuzzRequest(r: Random): FuzzRequest {
  const target: FuzzTarget = r.chance(0.75) ? 'rest' : r.chance(0.85) ? 'aggregated' : 'aggregated-anonymous';
  const method = r.pick(METHODS);
  const write = method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
  let path = r.pick(target === 'rest' ? REST_PATHS : AGGREGATED_PATHS)
    .replace('{name}', () => encodeURIComponent(seriesName(r, write)))
    .replace('{pool}', () => r.pick(['canary-pool', 'nope', r.text(5)]))
    .replace('{ns}', () => r.pick(['default', 'shop', 'kube-system', '', r.text(5)]));
  if (r.chance(0.1)) path = r.pick([`${path}/`, `/${path}`, `${path}/..`, `${path}/${r.text(r.int(1, 20))}`, path.toUpperCase(), `${path}%2f..`, `${path};x=1`]);
  const withBody = write && r.chance(0.9);
  return { target, method, path: sendablePath(path + query(r)), headers: headers(r, withBody || r.chance(0.05)), ...(withBody ? { body: body(r) } : {}) };
}
