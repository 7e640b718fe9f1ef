import { type Client, type ServiceError, credentials, loadPackageDefinition, status } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { PROTO_LOADER_OPTIONS } from '../../../api/keda/external-scaler-server';
import { externalScalerProtoPath } from '../../../api/keda/proto-path';
import { selectForecastValue } from '../../../src/metric-providers/select-forecast-value';
import { type ServingFixture, startServingFixture } from '../../helpers/serving-fixture';

type Callback<T> = (err: ServiceError | null, value: T) => void;
interface ScalerClient extends Client {
  IsActive(ref: object, cb: Callback<{ result: boolean }>): void;
  GetMetricSpec(ref: object, cb: Callback<{ metricSpecs: Array<{ metricName: string; targetSize: number; targetSizeFloat: number }> }>): void;
  GetMetrics(req: object, cb: Callback<{ metricValues: Array<{ metricName: string; metricValue: number; metricValueFloat: number }> }>): void;
  StreamIsActive(ref: object): NodeJS.ReadableStream & { cancel(): void };
  StreamMetricSpec(ref: object): NodeJS.ReadableStream & { cancel(): void };
}

const call = <T>(fn: (cb: Callback<T>) => void): Promise<T> => new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

/** A real @grpc/grpc-js client, with the .proto loaded the way KEDA's generated client encodes it. */
describe('KEDA external scaler (gRPC)', () => {
  let fx: ServingFixture;
  let client: ScalerClient;
  beforeAll(async () => {
    fx = await startServingFixture();
    const pkg = loadPackageDefinition(loadSync(externalScalerProtoPath(), PROTO_LOADER_OPTIONS)) as unknown as {
      externalscaler: { ExternalScaler: new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => ScalerClient };
    };
    client = new pkg.externalscaler.ExternalScaler(`127.0.0.1:${fx.running.keda!.port}`, credentials.createInsecure());
  });
  afterAll(async () => {
    client.close();
    await fx.close();
  });

  // What KEDA sends: the trigger metadata as-is, scalerAddress included.
  const ref = (metadata: Record<string, string>, namespace = 'shop') => ({
    name: 'worker',
    namespace,
    scalerMetadata: { scalerAddress: 'prescale.prescale.svc:9090', ...metadata },
  });
  const trigger = { series: 'queue-depth', horizon: '10m', quantile: '0.9', aggregate: 'max', targetValue: '30', activationValue: '5' };

  it('GetMetricSpec names the series and carries the target as float and int', async () => {
    const spec = await call<{ metricSpecs: unknown[] }>((cb) => client.GetMetricSpec(ref(trigger), cb));
    expect(spec.metricSpecs).toEqual([{ metricName: 'queue-depth', targetSize: 30, targetSizeFloat: 30 }]);
  });

  it('GetMetrics returns one value: the max p90 over the horizon, float and rounded int', async () => {
    const reply = await call<{ metricValues: Array<{ metricName: string; metricValue: number; metricValueFloat: number }> }>((cb) =>
      client.GetMetrics({ scaledObjectRef: ref(trigger), metricName: 'queue-depth' }, cb),
    );
    const expected = selectForecastValue(fx.running.app.forecasts.forecast('queue-depth', 600), { horizonSeconds: 600, quantile: 0.9, aggregate: 'max' }).value;
    expect(reply.metricValues).toHaveLength(1);
    expect(reply.metricValues[0]!.metricValueFloat).toBeCloseTo(expected, 9);
    expect(reply.metricValues[0]!.metricValue).toBe(Math.round(expected));
  });

  it('IsActive is true when the value is above activationValue and false otherwise', async () => {
    expect(await call<{ result: boolean }>((cb) => client.IsActive(ref(trigger), cb))).toEqual({ result: true });
    expect(await call<{ result: boolean }>((cb) => client.IsActive(ref({ ...trigger, activationValue: '1000' }), cb))).toEqual({ result: false });
    expect(await call<{ result: boolean }>((cb) => client.IsActive(ref({ series: 'idle-queue', targetValue: '1' }), cb))).toEqual({ result: false });
  });

  it('StreamIsActive pushes the activity decision at once', async () => {
    const stream = client.StreamIsActive(ref(trigger));
    const first = await new Promise<{ result: boolean }>((resolve, reject) => {
      stream.once('data', resolve);
      stream.once('error', reject);
    });
    stream.cancel();
    expect(first).toEqual({ result: true });
  });

  it('StreamMetricSpec answers UNIMPLEMENTED, so KEDA falls back to GetMetricSpec', async () => {
    const stream = client.StreamMetricSpec(ref(trigger));
    const err = await new Promise<ServiceError>((resolve) => stream.once('error', resolve));
    expect(err.code).toBe(status.UNIMPLEMENTED);
  });

  describe('errors', () => {
    const missing = { ...trigger, series: 'no-such-series' };

    it.each([
      ['IsActive', (cb: Callback<unknown>) => client.IsActive(ref(missing), cb)],
      ['GetMetrics', (cb: Callback<unknown>) => client.GetMetrics({ scaledObjectRef: ref(missing), metricName: 'no-such-series' }, cb)],
    ])('%s for a missing series fails with NOT_FOUND naming it', async (_rpc, fn) => {
      await expect(call(fn)).rejects.toMatchObject({ code: status.NOT_FOUND, details: expect.stringContaining('no-such-series') });
    });

    it('GetMetricSpec without targetValue fails with INVALID_ARGUMENT naming the key', async () => {
      await expect(call((cb) => client.GetMetricSpec(ref({ series: 'queue-depth' }), cb))).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('scalerMetadata.targetValue'),
      });
    });

    it('GetMetrics with a bad quantile fails with INVALID_ARGUMENT naming the key', async () => {
      await expect(call((cb) => client.GetMetrics({ scaledObjectRef: ref({ ...trigger, quantile: '0.42' }), metricName: 'queue-depth' }, cb))).rejects.toMatchObject({
        code: status.INVALID_ARGUMENT,
        details: expect.stringContaining('scalerMetadata.quantile'),
      });
    });

    describe('unknown scalerMetadata keys', () => {
      const typo = { ...trigger, horizn: '5m' };
      it.each([
        ['GetMetricSpec', (cb: Callback<unknown>) => client.GetMetricSpec(ref(typo), cb)],
        ['GetMetrics', (cb: Callback<unknown>) => client.GetMetrics({ scaledObjectRef: ref(typo), metricName: 'queue-depth' }, cb)],
        ['IsActive', (cb: Callback<unknown>) => client.IsActive(ref(typo), cb)],
      ])('%s with a typo in a key fails with INVALID_ARGUMENT naming the key, instead of using the default', async (_rpc, fn) => {
        await expect(call(fn)).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('scalerMetadata.horizn: unknown key') });
      });

      it('StreamIsActive with an unknown key ends the stream with INVALID_ARGUMENT', async () => {
        const stream = client.StreamIsActive(ref(typo));
        const err = await new Promise<ServiceError>((resolve) => stream.once('error', resolve));
        expect(err).toMatchObject({ code: status.INVALID_ARGUMENT, details: expect.stringContaining('scalerMetadata.horizn') });
      });

      it("KEDA's own keys (scalerAddress, TLS settings) are accepted and skipped", async () => {
        const keda = { enableTLS: 'false', unsafeSsl: 'false', caCert: '/ca.pem', tlsCertFile: '/c.pem', tlsClientCert: '/c.pem', tlsClientKey: '/k.pem' };
        const spec = await call<{ metricSpecs: unknown[] }>((cb) => client.GetMetricSpec(ref({ ...trigger, ...keda }), cb));
        expect(spec.metricSpecs).toEqual([{ metricName: 'queue-depth', targetSize: 30, targetSizeFloat: 30 }]);
      });

      it('a <key>FromEnv entry, as KEDA forwards it resolved, counts as the key; both at once are refused', async () => {
        const { series, ...rest } = trigger;
        const spec = await call<{ metricSpecs: unknown[] }>((cb) => client.GetMetricSpec(ref({ ...rest, seriesFromEnv: series }), cb));
        expect(spec.metricSpecs).toEqual([{ metricName: 'queue-depth', targetSize: 30, targetSizeFloat: 30 }]);
        await expect(call((cb) => client.GetMetricSpec(ref({ ...trigger, seriesFromEnv: 'other' }), cb))).rejects.toMatchObject({
          code: status.INVALID_ARGUMENT,
          details: expect.stringContaining('scalerMetadata.seriesFromEnv'),
        });
        await expect(call((cb) => client.GetMetricSpec(ref({ ...trigger, queueFromEnv: 'orders' }), cb))).rejects.toMatchObject({
          code: status.INVALID_ARGUMENT,
          details: expect.stringContaining('scalerMetadata.queueFromEnv: unknown key'),
        });
      });
    });

    it('GetMetrics for a metric name other than the trigger series fails with NOT_FOUND', async () => {
      await expect(call((cb) => client.GetMetrics({ scaledObjectRef: ref(trigger), metricName: 'other' }, cb))).rejects.toMatchObject({ code: status.NOT_FOUND });
    });

    it('a ScaledObject in a namespace that is not served gets NOT_FOUND', async () => {
      await expect(call((cb) => client.IsActive(ref(trigger, 'kube-system'), cb))).rejects.toMatchObject({ code: status.NOT_FOUND });
    });

    it('StreamIsActive for a missing series ends the stream with NOT_FOUND', async () => {
      const stream = client.StreamIsActive(ref(missing));
      const err = await new Promise<ServiceError>((resolve) => stream.once('error', resolve));
      expect(err.code).toBe(status.NOT_FOUND);
    });
  });
});


