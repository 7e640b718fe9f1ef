import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { parseConfig } from '../../../src/config/load-config';
import { type RunningService, serve } from '../../../main/serve';
import { syntheticLoad } from '../../helpers/synthetic-series';

// Training runs in the worker thread from dist/ (npm test builds first).
describe('forecast.model auto on the default history window', () => {
  let dir: string;
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-auto-'));
    // forecast.model and series[].history as shipped (auto, 14 days): only the network is kept small.
    const config = parseConfig({
      server: { host: '127.0.0.1', port: 0 },
      storage: { dataDir: dir },
      training: { backend: 'wasm', lstm: { units: 4, maxEpochs: 2, maxSamples: 200 } },
      series: [{ name: 'api-rps', step: '1h', horizon: '2h' }],
    });
    expect(config.forecast.model).toBe('auto');
    service = await serve({ config, logger: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${service.port}`;
    const hour = 3600_000;
    const startMs = Math.floor(Date.now() / hour) * hour - 20 * 24 * hour;
    const series = syntheticLoad({ days: 20, stepSeconds: 3600 });
    const samples = Array.from(series.values, (v, i) => ({ t: (startMs + (i + 1) * hour) / 1000, v }));
    const posted = await fetch(`${base}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
    expect(posted.status).toBe(200);
  });

  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores MSTL and the trained kind beside the seasonal ones, and shows every score in /v1/series/{name}', async () => {
    expect((await fetch(`${base}/v1/models/api-rps/train`, { method: 'POST' })).status).toBe(202);
    await waitFor(async () => ((await (await fetch(`${base}/v1/status`)).json()) as { training: { runs: { state: string }[] } }).training.runs[0]!.state !== 'running');

    const view = (await (await fetch(`${base}/v1/series/api-rps`)).json()) as { model: { choice?: { chosen: string; candidates: { kind: string; score: { mase: number } | null }[] } } };
    const candidates = view.model.choice!.candidates;
    expect(candidates.map((c) => c.kind)).toEqual(['seasonal-naive', 'seasonal', 'mstl', 'ensemble']);
    for (const c of candidates) expect(c.score?.mase).toEqual(expect.any(Number));
    expect(candidates.map((c) => c.kind)).toContain(view.model.choice!.chosen);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(100);
  }
  throw new Error('condition not met in time');
}
