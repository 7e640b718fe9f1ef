import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { type RunningService, serve } from '../../../main/serve';
import { syntheticLoad } from '../../helpers/synthetic-series';

// Training runs in the worker thread from dist/ (npm test builds first).
describe('model registry and training over HTTP', () => {
  let dir: string;
  let service: RunningService;
  let base: string;
  const post = (path: string, body?: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-models-'));
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      // A fixed serving model: training trains `training.model` (under `auto` it would choose between kinds).
      forecast: { model: 'seasonal' },
      training: { backend: 'wasm', model: 'ensemble', holdout: '1d', lstm: { units: 8, maxEpochs: 4, maxSamples: 400 } },
      series: [{ name: 'api-rps', step: '1h', horizon: '2h' }],
    });
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${service.port}`;
    const hour = 3600_000;
    const startMs = Math.floor(Date.now() / hour) * hour - 20 * 24 * hour;
    // The values keep the generator's own weekly phase (20 days from a Monday: the held-out
    // last day is a Saturday after a Friday), stamped to end now, so the promotion gate sees
    // the same data whatever day the test runs on.
    const series = syntheticLoad({ days: 20, stepSeconds: 3600 });
    const samples = Array.from(series.values, (v, i) => ({ t: (startMs + (i + 1) * hour) / 1000, v }));
    expect((await post('/v1/series/api-rps/samples', samples)).status).toBe(200);
    await waitFor(async () => (await fetch(`${base}/v1/forecasts/api-rps`)).status === 200);
  });

  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains in a worker while forecasts keep being answered, then serves the promoted model', async () => {
    const started = await post('/v1/models/api-rps/train');
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ series: 'api-rps', state: 'running' });
    expect((await post('/v1/models/api-rps/train')).status).toBe(409);

    const latencies: number[] = [];
    let status = 'running';
    while (status === 'running') {
      const t0 = performance.now();
      const res = await fetch(`${base}/v1/forecasts/api-rps`);
      latencies.push(performance.now() - t0);
      expect(res.status).toBe(200);
      const runs = ((await (await fetch(`${base}/v1/status`)).json()) as { training: { runs: { state: string }[] } }).training.runs;
      status = runs[0]!.state;
      await sleep(20);
    }

    expect(status).toBe('done');
    // Answered all through the fit: many requests, none waiting on training.
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    const models = (await (await fetch(`${base}/v1/models/api-rps`)).json()) as { promoted: string; versions: { version: string; status: string; backend: string }[] };
    expect(models.promoted).toBe('v000001');
    expect(models.versions[0]).toMatchObject({ version: 'v000001', status: 'promoted', backend: 'wasm' });
    await waitFor(async () => ((await (await fetch(`${base}/v1/forecasts/api-rps`)).json()) as { model: string }).model === 'ensemble');
  });

  it('shows the backend that ran and the promoted versions in /v1/status and /metrics', async () => {
    const status = (await (await fetch(`${base}/v1/status`)).json()) as Record<string, Record<string, unknown>>;

    expect(status['training']!['backend']).toEqual({ requested: 'wasm', active: 'wasm' });
    expect(status['models']!['api-rps']).toEqual({ promoted: 'v000001', kind: 'ensemble', versions: 1 });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('prescale_training_backend_info{backend="wasm"} 1');
    expect(metrics).toMatch(/prescale_training_runs_total\{result="promoted"\} 1/);
  });

  it('refuses bad promote and rollback requests with problems naming the field', async () => {
    const noBody = await post('/v1/models/api-rps/promote', {});
    expect(noBody.status).toBe(400);
    expect(await noBody.json()).toMatchObject({ code: 'INVALID_INPUT', field: 'version' });

    const unknown = await post('/v1/models/api-rps/promote', { version: 'v000042' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'MODEL_NOT_FOUND', field: 'version' });

    const noPrevious = await post('/v1/models/api-rps/rollback');
    expect(noPrevious.status).toBe(404);
    expect((await noPrevious.json()) as { code: string }).toMatchObject({ code: 'MODEL_NOT_FOUND' });

    expect((await fetch(`${base}/v1/models/nope`)).status).toBe(404);
    expect((await post('/v1/models/nope/train')).status).toBe(404);
  });

  it('promotes an earlier version and rolls back to the one before', async () => {
    // A second version trained with a gate it cannot pass is kept as rejected; promote it by hand.
    // (Training the same data again gives a candidate no better than the serving one.)
    await post('/v1/models/api-rps/train');
    await waitFor(async () => ((await (await fetch(`${base}/v1/status`)).json()) as { training: { runs: { state: string }[] } }).training.runs[0]!.state !== 'running', 120_000);
    const listed = (await (await fetch(`${base}/v1/models/api-rps`)).json()) as { versions: { version: string; status: string }[] };
    expect(listed.versions).toHaveLength(2);

    const promoted = await post('/v1/models/api-rps/promote', { version: 'v000002' });
    expect(((await promoted.json()) as { promoted: string }).promoted).toBe('v000002');
    const rolled = await post('/v1/models/api-rps/rollback');
    const body = (await rolled.json()) as { promoted: string; versions: { version: string; status: string }[] };

    expect(body.promoted).toBe('v000001');
    expect(body.versions.find((v) => v.version === 'v000002')!.status).not.toBe('promoted');
  });

  it('loads the promoted version on start: after a restart the trained model serves again', async () => {
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      forecast: { model: 'seasonal' },
      training: { backend: 'wasm' },
      series: [{ name: 'api-rps', step: '1h', horizon: '2h' }],
    });
    await service.stop();
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${service.port}`;

    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200);
    const forecast = (await (await fetch(`${base}/v1/forecasts/api-rps`)).json()) as { model: string };

    expect(forecast.model).toBe('ensemble');
    expect(((await (await fetch(`${base}/v1/models/api-rps`)).json()) as { promoted: string }).promoted).toBe('v000001');
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}
