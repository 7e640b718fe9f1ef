import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collect, freePort, spawnCli, tempDir, waitFor } from '../helpers/test-server';
import { syntheticLoad } from '../helpers/synthetic-series';

/**
 * docs/degradation.md, row 5: the service itself restarts (kill -9). A real `prescale serve`
 * child on the same data dir is ready, with forecasts from the stored history and the promoted
 * model and a plan, within seconds. The measured seconds are printed for docs/degradation.md.
 */
const HOUR = 3600_000;
const CONFIG = `forecast:
  model: seasonal-naive
training:
  backend: wasm
  model: ensemble
  holdout: 1d
  lstm: { units: 8, maxEpochs: 4, maxSamples: 400 }
series:
  - name: api-rps
    step: 1h
    horizon: 2h
pools:
  - name: gpu-api
    series: api-rps
    capacityPerReplica: 5
    maxReplicas: 100
`;

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
  dir = tempDir('restart');
  writeFileSync(join(dir.path, 'prescale.yaml'), CONFIG);
});
afterAll(() => dir.remove());

async function start() {
  const port = await freePort();
  const startedAt = performance.now();
  const child = spawnCli(['serve', '--config', join(dir.path, 'prescale.yaml')], { PORT: String(port), HOST: '127.0.0.1', PRESCALE_DATA_DIR: join(dir.path, 'state') });
  const result = collect(child, 120_000);
  const url = `http://127.0.0.1:${port}`;
  return { child, result, url, startedAt };
}

const json = async (url: string) => {
  const res = await fetch(url);
  return res.ok ? ((await res.json()) as Record<string, unknown>) : undefined;
};

describe('a restart of the service', () => {
  it('is ready, with forecasts from stored history and the promoted model and a plan, within seconds of kill -9', async () => {
    const first = await start();
    await waitFor(async () => ((await fetch(`${first.url}/healthz`)).ok ? true : undefined), 30_000, 'the first service to listen');
    const endMs = Math.floor(Date.now() / HOUR) * HOUR;
    const values = syntheticLoad({ days: 20, stepSeconds: 3600 }).values;
    const samples = Array.from(values, (v, i) => ({ t: (endMs - (values.length - 1 - i) * HOUR) / 1000, v }));
    const pushed = await fetch(`${first.url}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
    expect(pushed.status).toBe(200);
    expect((await fetch(`${first.url}/v1/models/api-rps/train`, { method: 'POST' })).status).toBe(202);
    await waitFor(async () => ((await json(`${first.url}/v1/forecasts/api-rps`))?.['model'] === 'ensemble' ? true : undefined), 90_000, 'the promoted model to serve');
    first.child.kill('SIGKILL');
    await first.result;

    const second = await start();
    try {
      await waitFor(async () => ((await fetch(`${second.url}/readyz`)).status === 200 ? true : undefined), 30_000, '/readyz after the restart');
      const readySeconds = (performance.now() - second.startedAt) / 1000;
      const forecast = await waitFor(() => json(`${second.url}/v1/forecasts/api-rps`), 30_000, 'a forecast after the restart');
      const plan = await waitFor(() => json(`${second.url}/v1/plans/gpu-api`), 30_000, 'a plan after the restart');
      const answerSeconds = (performance.now() - second.startedAt) / 1000;
      // For docs/degradation.md (row 5): the measured time from spawn to ready and to the first answers.
      console.log(`restart: /readyz 200 after ${readySeconds.toFixed(2)} s; forecast and plan after ${answerSeconds.toFixed(2)} s`);

      expect(forecast).toMatchObject({ model: 'ensemble', stale: false });
      expect((forecast['points'] as unknown[]).length).toBeGreaterThan(0);
      expect((plan['steps'] as { replicas: number }[])[0]!.replicas).toBeGreaterThan(1);
      expect(answerSeconds).toBeLessThan(30);
    } finally {
      second.child.kill('SIGTERM');
      await second.result;
    }
  }, 180_000);
});
