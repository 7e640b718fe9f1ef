import { get } from 'node:http';
import { selectForecastValue } from '../../../src/metric-providers/select-forecast-value';
import { type ServingFixture, startServingFixture } from '../../helpers/serving-fixture';

interface Reply {
  status: number;
  headers: { get(name: string): string | null };
  json(): Promise<Record<string, unknown>>;
}

/** A plain GET on its own connection (undici's pooled fetch keeps Jest workers alive after the server stops). */
function fetch(url: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: { get: (name) => (res.headers[name.toLowerCase()] as string | undefined) ?? null },
          json: async () => JSON.parse(body) as Record<string, unknown>,
        }),
      );
    }).on('error', reject);
  });
}

/** KEDA's metrics-api scaler fetches with GET and reads the number at `valueLocation` (here `value`). */
describe('GET /v1/metrics-api/{series} (KEDA metrics-api scaler)', () => {
  let fx: ServingFixture;
  let base: string;
  beforeAll(async () => {
    fx = await startServingFixture();
    base = `http://127.0.0.1:${fx.running.port}`;
  });
  afterAll(() => fx.close());

  it('serves a JSON number at valueLocation "value", chosen like the external metric', async () => {
    const res = await fetch(`${base}/v1/metrics-api/queue-depth?horizon=10m&quantile=0.5&aggregate=at`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as unknown as { value: number; metric: string; stale: boolean };
    const expected = selectForecastValue(fx.running.app.forecasts.forecast('queue-depth', 600), { horizonSeconds: 600, quantile: 0.5, aggregate: 'at' });
    expect(body).toMatchObject({ metric: 'queue-depth', value: expected.value, stale: false });
    expect(typeof body.value).toBe('number');
  });

  it('answers an unknown series with 404 problem+json (KEDA counts a non-200 as a failed fetch)', async () => {
    const res = await fetch(`${base}/v1/metrics-api/nope`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ code: 'METRIC_NOT_FOUND' });
  });

  it('answers a bad parameter with 400 naming it', async () => {
    const res = await fetch(`${base}/v1/metrics-api/queue-depth?quantile=0.3`);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'quantile' });
  });
});
