import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config';
import { SqliteHistoryStore } from '../../src/store/sqlite-history-store';
import { serve } from '../../main/serve';
import { createLogger } from '../../src/telemetry/logger';
import { recentSamples, tempDir, waitFor } from '../helpers/test-server';

/** The service as `npm start` runs it: no config file, the embedded demo, a real socket. */
describe('service without a config file', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('app');
  });
  afterEach(() => dir.remove());

  it('writes two weeks of demo history at first start and has a demo forecast once ready', async () => {
    const config = loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', PRESCALE_DATA_DIR: dir.path } });
    const svc = await serve({ config, logger: createLogger({ level: 'silent' }) });
    const url = `http://127.0.0.1:${svc.port}`;
    try {
      await waitFor(async () => ((await fetch(`${url}/readyz`)).status === 200 ? true : undefined), 60_000, 'readiness');

      const series = (await (await fetch(`${url}/v1/series`)).json()) as { series: Array<{ name: string; samples: number; stale: boolean }> };
      const forecast = await fetch(`${url}/v1/forecasts/demo-generate-rps?horizon=30m`);
      const body = (await forecast.json()) as { model: string; points: unknown[] };

      expect(series.series).toEqual([expect.objectContaining({ name: 'demo-generate-rps', stale: false })]);
      expect(series.series[0]!.samples).toBeGreaterThanOrEqual(14 * 1440);
      expect(forecast.status).toBe(200);
      expect(body.model).toBe('seasonal');
      expect(body.points.length).toBeGreaterThanOrEqual(29);
      expect(existsSync(join(dir.path, 'history.sqlite'))).toBe(true);
    } finally {
      await svc.stop();
    }
  }, 90_000);
});

describe('stopping the service', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('drain');
  });
  afterEach(() => dir.remove());

  it('finishes a request in flight when asked to stop, and closes the store afterwards', async () => {
    const config = loadConfig({ env: { PORT: '0', HOST: '127.0.0.1', PRESCALE_DATA_DIR: dir.path } });
    const withSeries = { ...config, demo: { ...config.demo, enabled: false }, series: [{ ...config.series[0]!, name: 'api' }] };
    const svc = await serve({ config: withSeries, logger: createLogger({ level: 'silent' }) });
    const arrived = new Promise((r) => svc.server.once('request', r));

    const push = fetch(`http://127.0.0.1:${svc.port}/v1/series/api/samples`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(recentSamples(10_000)),
    });
    await arrived;
    const stopped = svc.stop();
    const res = await push;

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ stored: 10_000 });
    await stopped;
    await expect(fetch(`http://127.0.0.1:${svc.port}/healthz`)).rejects.toThrow();
    const reopened = new SqliteHistoryStore(join(dir.path, 'history.sqlite'));
    try {
      expect((await reopened.stats('api'))?.count).toBe(10_000);
    } finally {
      reopened.close();
    }
  });
});
