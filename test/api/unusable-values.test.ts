/**
 * Every transport publishes the metric value service's one rule for an unusable value
 * (NaN, ±Infinity, negative, no forecast step in range): the external metrics API over real
 * HTTP, the KEDA external scaler over real gRPC and metrics-api over real HTTP, each on an
 * ephemeral port, fed by the real forecast provider over a table of bad forecasts.
 */
import { type Server, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Client, type ServiceError, credentials, loadPackageDefinition, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { externalMetricsHandler } from '../../api/external-metrics/external-metrics-handler';
import { parseQuantity } from '../../api/external-metrics/quantity';
import { RequestAuthenticator } from '../../api/external-metrics/request-authenticator';
import { buildHttpApp } from '../../api/http/build-http-app';
import { PROTO_LOADER_OPTIONS, startExternalScalerServer } from '../../api/keda/external-scaler-server';
import { externalScalerProtoPath } from '../../api/keda/proto-path';
import { metricsApiRoutes } from '../../api/rest/metrics-api-routes';
import { createLogger } from '../../src/telemetry/logger';
import { UNUSABLE_CASES, type UnusableCase } from '../helpers/unusable-forecasts';
import { unusableValueService } from '../helpers/unusable-forecasts';

type Callback<T> = (err: ServiceError | null, value: T) => void;
interface ScalerClient extends Client {
  GetMetrics(req: object, cb: Callback<{ metricValues: Array<{ metricName: string; metricValue: number; metricValueFloat: number }> }>): void;
}

const TOKEN = 'unusable-values-token-0123456789';
const logger = createLogger({ level: 'silent' });

function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) as Record<string, unknown> }));
    }).on('error', reject);
  });
}

const listen = (server: Server): Promise<number> => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
const closed = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

describe('an unusable value, through every transport', () => {
  const metrics = unusableValueService();
  let externalMetrics: Server;
  let metricsApi: Server;
  let keda: Awaited<ReturnType<typeof startExternalScalerServer>>;
  let client: ScalerClient;
  const ports = { externalMetrics: 0, metricsApi: 0 };

  beforeAll(async () => {
    const authenticator = new RequestAuthenticator({ requestHeaderCAs: [], allowedNames: [], usernameHeaders: [], groupHeaders: [], clientCAs: [], clientCertNamespaces: {}, tokens: [{ token: TOKEN, user: 'hpa', namespaces: [] }] });
    externalMetrics = createServer(externalMetricsHandler({ metrics, authenticator, logger, ready: () => true }));
    ports.externalMetrics = await listen(externalMetrics);
    metricsApi = createServer(buildHttpApp([metricsApiRoutes(metrics)], logger));
    ports.metricsApi = await listen(metricsApi);
    keda = await startExternalScalerServer({ host: '127.0.0.1', port: 0, metrics, logger, streamIntervalMs: 60_000 });
    const pkg = loadPackageDefinition(loadSync(externalScalerProtoPath(), PROTO_LOADER_OPTIONS)) as unknown as {
      externalscaler: { ExternalScaler: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => ScalerClient };
    };
    client = new pkg.externalscaler.ExternalScaler(`127.0.0.1:${keda.port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    keda.server.forceShutdown();
    await Promise.all([closed(externalMetrics), closed(metricsApi)]);
  });

  const cases = UNUSABLE_CASES.map((c) => [c.series, c] as const);

  it.each(cases)('external metrics API: %s', async (_name, c: UnusableCase) => {
    const res = await httpGet(ports.externalMetrics, `/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/${c.series}`, { Authorization: `Bearer ${TOKEN}` });
    if ('error' in c.expected) {
      expect(res).toMatchObject({ status: 503, body: { kind: 'Status', reason: 'ServiceUnavailable' } });
      return;
    }
    expect(res.status).toBe(200);
    const item = (res.body['items'] as Array<{ value: string; metricLabels: Record<string, string> }>)[0]!;
    expect(parseQuantity(item.value)).toBeCloseTo(c.expected.value, 3);
    // Only stale input is labelled stale: a forecast with no step in range is a fallback, not stale.
    expect(item.metricLabels['prescale.dev/stale']).toBeUndefined();
  });

  it.each(cases)('KEDA external scaler GetMetrics: %s', async (_name, c: UnusableCase) => {
    const ref = { name: 'worker', namespace: 'shop', scalerMetadata: { scalerAddress: 'prescale:9090', series: c.series, targetValue: '1' } };
    const reply = new Promise<{ metricValues: Array<{ metricValue: number; metricValueFloat: number }> }>((resolve, reject) =>
      client.GetMetrics({ scaledObjectRef: ref, metricName: c.series }, (err, v) => (err ? reject(err) : resolve(v))),
    );
    if ('error' in c.expected) {
      await expect(reply).rejects.toMatchObject({ code: status.UNAVAILABLE });
      return;
    }
    const [value] = (await reply).metricValues;
    expect(value).toEqual({ metricName: c.series, metricValue: Math.round(c.expected.value), metricValueFloat: c.expected.value });
  });

  it.each(cases)('metrics-api: %s', async (_name, c: UnusableCase) => {
    const res = await httpGet(ports.metricsApi, `/v1/metrics-api/${c.series}`);
    if ('error' in c.expected) {
      expect(res).toMatchObject({ status: 503, body: { code: 'FORECAST_NOT_READY' } });
      return;
    }
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ metric: c.series, value: c.expected.value, stale: false });
    expect(res.body['fallback']).toBe(c.expected.fallback);
  });
});
