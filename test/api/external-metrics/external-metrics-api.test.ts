import { selectForecastValue } from '../../../src/metric-providers/select-forecast-value';
import { formatQuantity, parseQuantity } from '../../../api/external-metrics/quantity';
import { httpsRequest } from '../../helpers/https-get';
import { NOW_MS, type ServingFixture, startServingFixture } from '../../helpers/serving-fixture';

/**
 * The aggregated API server over real TLS, called the way the kube-aggregator and the HPA
 * controller call it through kube-apiserver (which cannot run here): the front-proxy client
 * certificate, `X-Remote-User`/`X-Remote-Group` headers, `Accept: application/vnd.kubernetes.protobuf, *\/*`,
 * and the selector encoded as Go's url.Values.Encode does (`=`→%3D, `,`→%2C).
 */
describe('external metrics API (HPA-shaped requests)', () => {
  let fx: ServingFixture;
  let port: number;
  beforeAll(async () => {
    fx = await startServingFixture();
    port = fx.running.externalMetrics!.port;
  });
  afterAll(() => fx.close());

  const hpa = (path: string, extra: { method?: string; user?: string } = {}) =>
    httpsRequest(port, path, {
      ca: fx.servingCa,
      cert: fx.frontProxy.cert,
      key: fx.frontProxy.key,
      method: extra.method ?? 'GET',
      headers: {
        Accept: 'application/vnd.kubernetes.protobuf, */*',
        'User-Agent': 'kube-controller-manager/v1.33.0 (linux/amd64) kubernetes/abcdef/system:serviceaccount:kube-system:horizontal-pod-autoscaler',
        'X-Remote-User': extra.user ?? 'system:serviceaccount:kube-system:horizontal-pod-autoscaler',
        'X-Remote-Group': ['system:serviceaccounts', 'system:serviceaccounts:kube-system'],
      },
    });
  const metricPath = (ns: string, name: string, selector?: string) =>
    `/apis/external.metrics.k8s.io/v1beta1/namespaces/${ns}/${name}${selector ? `?labelSelector=${encodeGo(selector)}` : ''}`;

  it('answers the aggregator availability and legacy discovery paths with the documented documents', async () => {
    const groups = await hpa('/apis');
    expect(groups.status).toBe(200);
    expect(groups.contentType).toBe('application/json');
    expect(groups.json()).toMatchObject({ kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: 'external.metrics.k8s.io' }] });
    const group = await hpa('/apis/external.metrics.k8s.io');
    expect(group.json()).toMatchObject({ kind: 'APIGroup', preferredVersion: { groupVersion: 'external.metrics.k8s.io/v1beta1', version: 'v1beta1' } });
    const resources = await hpa('/apis/external.metrics.k8s.io/v1beta1');
    expect(resources.status).toBe(200);
    const list = resources.json() as { kind: string; groupVersion: string; resources: Array<Record<string, unknown>> };
    expect(list.kind).toBe('APIResourceList');
    expect(list.groupVersion).toBe('external.metrics.k8s.io/v1beta1');
    expect(list.resources.map((r) => r.name)).toEqual(['idle-queue', 'queue-depth']);
    expect(list.resources[0]).toEqual({ name: 'idle-queue', singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] });
  });

  it('serves minimal OpenAPI v2 and v3 documents so the aggregator does not log download errors', async () => {
    expect((await hpa('/openapi/v2')).json()).toMatchObject({ swagger: '2.0' });
    const index = (await hpa('/openapi/v3')).json() as { paths: Record<string, { serverRelativeURL: string }> };
    const url = index.paths['apis/external.metrics.k8s.io/v1beta1']!.serverRelativeURL;
    expect((await hpa(url)).status).toBe(200);
  });

  it('returns exactly one item whose value is the max p90 over the next 5 minutes by default', async () => {
    const reply = await hpa(metricPath('shop', 'queue-depth'));
    expect(reply.status).toBe(200);
    expect(reply.contentType).toBe('application/json');
    const list = reply.json() as { kind: string; apiVersion: string; items: Array<Record<string, unknown>> };
    expect(list).toMatchObject({ kind: 'ExternalMetricValueList', apiVersion: 'external.metrics.k8s.io/v1beta1', metadata: {} });
    expect(list.items).toHaveLength(1);
    const item = list.items[0]!;
    expect(item).toMatchObject({ metricName: 'queue-depth', metricLabels: {}, timestamp: '2026-08-20T12:00:30Z', window: 60 });
    const expected = selectForecastValue(fx.running.app.forecasts.forecast('queue-depth', 300), { horizonSeconds: 300, quantile: 0.9, aggregate: 'max' });
    expect(item.value).toBe(formatQuantity(expected.value));
    expect(parseQuantity(item.value as string)).toBeCloseTo(expected.value, 6);
  });

  it('chooses horizon, quantile and aggregate from the label selector and echoes the pins as labels', async () => {
    const reply = await hpa(metricPath('shop', 'queue-depth', 'aggregate=at,horizon=30m,quantile=0.5'));
    expect(reply.status).toBe(200);
    const item = (reply.json() as { items: Array<{ value: string; metricLabels: object }> }).items[0]!;
    expect(item.metricLabels).toEqual({ aggregate: 'at', horizon: '30m', quantile: '0.5' });
    const published = fx.running.app.forecasts.forecast('queue-depth', 1800);
    const last = published.points[published.points.length - 1]!;
    expect(parseQuantity(item.value)).toBeCloseTo(last.quantiles['0.5']!, 6);
    // Daily sine: 30 minutes after noon it is lower than the max of the next 30 minutes would be at p90.
    const atMax = await hpa(metricPath('shop', 'queue-depth', 'aggregate=max,horizon=30m,quantile=0.9'));
    expect(parseQuantity((atMax.json() as { items: Array<{ value: string }> }).items[0]!.value)).toBeGreaterThanOrEqual(parseQuantity(item.value)!);
  });

  it('reports a legitimate zero as one item with value "0", never an empty list', async () => {
    const reply = await hpa(metricPath('default', 'idle-queue'));
    expect((reply.json() as { items: Array<{ value: string }> }).items).toEqual([expect.objectContaining({ value: '0' })]);
  });

  it.each([
    ['an unknown metric', metricPath('shop', 'no-such-metric'), 404, 'NotFound', 'the server could not find the metric no-such-metric for namespaces'],
    ['a namespace that is not served', metricPath('kube-system', 'queue-depth'), 404, 'NotFound', 'namespace "kube-system" is not served'],
    ['the root-scoped metric path', '/apis/external.metrics.k8s.io/v1beta1/queue-depth', 404, 'NotFound', 'could not find the requested resource'],
    ['a namespace without a metric', '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop', 404, 'NotFound', 'could not find'],
    ['a metric name with a slash', '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue-depth/extra', 404, 'NotFound', 'could not find'],
    ['a longer prefix', '/apis/external.metrics.k8s.io/v1beta1/foo/namespaces/shop/queue-depth', 404, 'NotFound', 'could not find'],
    ['a malformed selector', metricPath('shop', 'queue-depth', 'horizon in (5m'), 400, 'BadRequest', 'labelSelector'],
    ['an unknown selector key', metricPath('shop', 'queue-depth', 'app=web'), 400, 'BadRequest', 'labelSelector.app: unknown key'],
    ['a selector that could match several items', metricPath('shop', 'queue-depth', 'quantile in (0.5,0.9)'), 400, 'BadRequest', 'exactly one'],
    ['a set-based negative selector', metricPath('shop', 'queue-depth', 'quantile!=0.5'), 400, 'BadRequest', 'exactly one'],
    ['a quantile that is not served', metricPath('shop', 'queue-depth', 'quantile=0.99'), 400, 'BadRequest', 'labelSelector.quantile'],
    ['a horizon past the series horizon', metricPath('shop', 'queue-depth', 'horizon=2h'), 400, 'BadRequest', 'labelSelector.horizon'],
    ['an unknown aggregate', metricPath('shop', 'queue-depth', 'aggregate=mean'), 400, 'BadRequest', 'labelSelector.aggregate'],
  ])('answers %s (%s) with a %i %s Status', async (_what, path, code, reason, message) => {
    const reply = await hpa(path);
    expect(reply.status).toBe(code);
    expect(reply.contentType).toBe('application/json');
    const status = reply.json();
    expect(status).toMatchObject({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason, code });
    expect(status.message).toContain(message);
  });

  it('answers a repeated request with the same bytes, and with the new forecast once one is published', async () => {
    const path = metricPath('default', 'idle-queue', 'horizon=5m');
    const first = await hpa(path);
    expect((await hpa(path)).body).toBe(first.body);
    expect((first.json() as { items: Array<{ value: string }> }).items[0]!.value).toBe('0');

    // A burst newer than the last sample: the near-horizon forecast is floored at it (safety rule 1).
    await fx.running.app.forecasts.ingest('idle-queue', [{ t: NOW_MS - 10_000, v: 42 }]);
    await fx.running.app.forecasts.refreshAll();

    const after = (await hpa(path)).json() as { items: Array<{ value: string }> };
    expect(parseQuantity(after.items[0]!.value)).toBeGreaterThanOrEqual(42);
    await fx.running.app.forecasts.ingest('idle-queue', [{ t: NOW_MS - 10_000, v: 0 }]);
    await fx.running.app.forecasts.refreshAll();
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('answers %s on the metric path with 405 MethodNotAllowed', async (method) => {
    const reply = await hpa(metricPath('shop', 'queue-depth'), { method });
    expect(reply.status).toBe(405);
    expect(reply.json()).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed', code: 405 });
  });

  it('answers probes over HTTPS without a client certificate', async () => {
    for (const path of ['/healthz', '/livez', '/readyz', '/readyz/ping']) {
      const reply = await httpsRequest(port, path, { ca: fx.servingCa });
      expect([path, reply.status, reply.body]).toEqual([path, 200, 'ok']);
    }
  });

  describe('authentication', () => {
    const status = (r: { status: number; json: () => Record<string, unknown> }) => [r.status, r.json()['reason']];

    it('refuses a request without a client certificate with 401, even when it carries X-Remote-User', async () => {
      const reply = await httpsRequest(port, metricPath('shop', 'queue-depth'), { ca: fx.servingCa, headers: { 'X-Remote-User': 'system:admin', 'X-Remote-Group': 'system:masters' } });
      expect(status(reply)).toEqual([401, 'Unauthorized']);
    });

    it('refuses a front-proxy certificate whose CN is not an allowed name', async () => {
      const other = fx.pki.leaf({ commonName: 'someone-else', usage: 'client' });
      const reply = await httpsRequest(port, '/apis', { ca: fx.servingCa, ...other, headers: { 'X-Remote-User': 'system:kube-aggregator' } });
      expect(status(reply)).toEqual([401, 'Unauthorized']);
    });

    it('refuses a certificate from the request-header CA without clientAuth usage', async () => {
      const serverOnly = fx.pki.leaf({ commonName: 'front-proxy-client', usage: 'server' });
      const reply = await httpsRequest(port, '/apis', { ca: fx.servingCa, ...serverOnly, headers: { 'X-Remote-User': 'system:kube-aggregator' } });
      expect(status(reply)).toEqual([401, 'Unauthorized']);
    });

    it('refuses the front-proxy certificate when no username header names the user', async () => {
      const reply = await httpsRequest(port, '/apis', { ca: fx.servingCa, ...fx.frontProxy });
      expect(status(reply)).toEqual([401, 'Unauthorized']);
    });

    it('does not trust X-Remote-User from a direct client certificate: the user is the CN', async () => {
      const limited = fx.clientPki.leaf({ commonName: 'limited-user', usage: 'client' });
      const reply = await httpsRequest(port, metricPath('shop', 'queue-depth'), { ca: fx.servingCa, ...limited, headers: { 'X-Remote-User': 'system:admin' } });
      expect(status(reply)).toEqual([403, 'Forbidden']);
      expect(reply.json()['message']).toContain('User "limited-user" cannot list resource "queue-depth"');
      const allowed = await httpsRequest(port, metricPath('default', 'queue-depth'), { ca: fx.servingCa, ...limited });
      expect(allowed.status).toBe(200);
    });

    it('lets a bearer token read only the namespaces it is granted', async () => {
      const auth = { Authorization: `Bearer ${fx.token}` };
      expect((await httpsRequest(port, metricPath('shop', 'queue-depth'), { ca: fx.servingCa, headers: auth })).status).toBe(200);
      expect(status(await httpsRequest(port, metricPath('default', 'queue-depth'), { ca: fx.servingCa, headers: auth }))).toEqual([403, 'Forbidden']);
      expect(status(await httpsRequest(port, '/apis', { ca: fx.servingCa, headers: { Authorization: 'Bearer wrong' } }))).toEqual([401, 'Unauthorized']);
    });
  });
});

/** Go's url.QueryEscape (what url.Values.Encode uses): spaces become "+". */
function encodeGo(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+').replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
