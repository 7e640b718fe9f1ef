import type { Server } from 'node:http';
import { type PrescaleApp, buildApp } from '../../../main/app';
import { parseConfig } from '../../../src/config/load-config';
import { createLogger } from '../../../src/telemetry/logger';
import { recentSamples, tempDir, waitFor } from '../../helpers/test-server';

/** Health, readiness and metrics of the real app over a real socket (listen on port 0). */
let dir: ReturnType<typeof tempDir>;
let app: PrescaleApp;
let server: Server;
let url: string;

beforeAll(async () => {
  dir = tempDir('api-health');
  const config = parseConfig({
    // Loopback, as the test listens: a non-loopback address without server.auth refuses pushes.
    server: { host: '127.0.0.1' },
    storage: { dataDir: dir.path },
    forecast: { refreshDebounce: 0.05 },
    series: [{ name: 'api-rps', step: '1m', horizon: '30m' }],
  });
  app = buildApp({ config, logger: createLogger({ level: 'silent' }) });
  server = app.http.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await app.close();
  dir.remove();
});

describe('health, readiness and metrics', () => {
  it('answers /healthz with 200 as soon as it listens', async () => {
    const res = await fetch(`${url}/healthz`);

    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('answers a forecast read with a problem+json 503 while the series has no forecast yet', async () => {
    const res = await fetch(`${url}/v1/forecasts/api-rps`);

    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 503, code: 'FORECAST_NOT_READY' });
  });

  it('answers /readyz with 503 before the first forecast pass and 200 after it', async () => {
    const before = await fetch(`${url}/readyz`);
    expect(before.status).toBe(503);
    expect(await before.json()).toEqual({ ready: false, checks: { store: true, forecasts: false } });

    await app.start();

    const after = await fetch(`${url}/readyz`);
    expect(after.status).toBe(200);
    expect(await after.json()).toEqual({ ready: true, checks: { store: true, forecasts: true } });
  });

  it('exposes process metrics and the prescale_* service metrics on /metrics', async () => {
    await fetch(`${url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(recentSamples(600)) });
    await waitFor(async () => (app.forecasts.cache.get('api-rps') ? true : undefined), 30_000, 'a forecast');

    const res = await fetch(`${url}/metrics`);
    const text = await res.text();

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text).toMatch(/^prescale_samples_ingested_total\{series="api-rps"\} 600$/m);
    expect(text).toMatch(/^prescale_forecast_refresh_duration_seconds_count\{outcome="forecast"\} [1-9]/m);
    expect(text).toMatch(/^prescale_forecast_age_seconds\{series="api-rps"\} [\d.e-]+$/m);
    expect(text).toMatch(/^prescale_series_last_sample_age_seconds\{series="api-rps"\} /m);
    expect(text).toMatch(/^prescale_series_stale\{series="api-rps"\} 0$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
