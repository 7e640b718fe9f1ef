import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { Registry } from 'prom-client';
import { parseConfig } from '../../src/config/load-config';
import { SqliteHistoryStore } from '../../src/store/sqlite-history-store';
import { type RunningService, serve } from '../../main/serve';
import { TrainingPool } from '../../training/pool/training-pool';
import { FileModelRegistry } from '../../training/registry/model-registry';
import { createTrainingMetrics } from '../../training/training-metrics';
import { TrainingService } from '../../training/training-service';

describe('TrainingService on start', () => {
  let dir: string;
  let service: RunningService | null = null;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prescale-training-service-'))));
  afterEach(async () => {
    await service?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the configured model when the promoted version cannot be read, and says why in the log', async () => {
    const seriesDir = join(dir, 'models', 'api-rps');
    mkdirSync(join(seriesDir, 'versions', 'v000001'), { recursive: true });
    writeFileSync(join(seriesDir, 'serving.json'), JSON.stringify({ promoted: 'v000001', history: [] }));
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (l: string) => lines.push(l) });
    const config = parseConfig({ server: { host: '127.0.0.1', port: 0 }, storage: { dataDir: dir }, training: { backend: 'cpu' }, series: [{ name: 'api-rps', step: '1m' }] });

    service = await serve({ config, logger });
    const base = `http://127.0.0.1:${service.port}`;
    const samples = Array.from({ length: 120 }, (_, i) => ({ t: Math.floor(Date.now() / 60_000) * 60 - (119 - i) * 60, v: 10 + (i % 7) }));
    await fetch(`${base}/v1/series/api-rps/samples`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(samples) });
    // Until a model has run, the last observation is served (model `last-observation`): wait for a model's forecast.
    let model = '';
    for (let i = 0; i < 100 && model !== 'seasonal'; i++) {
      const res = await fetch(`${base}/v1/forecasts/api-rps`);
      model = res.status === 200 ? ((await res.json()) as { model: string }).model : '';
      if (model !== 'seasonal') await new Promise((r) => setTimeout(r, 100));
    }

    expect(model).toBe('seasonal');
    expect(lines.join('')).toMatch(/cannot load the promoted model/);
  });
});

describe('TrainingService on close', () => {
  it('logs no error when close() cuts the start-up backend probe short (once a spurious "training pool closed")', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'prescale-training-close-'));
    const lines: string[] = [];
    const store = new SqliteHistoryStore(join(dir, 'history.sqlite'));
    const training = new TrainingService({
      config: parseConfig({ storage: { dataDir: dir }, training: { backend: 'cpu' }, series: [{ name: 'api-rps', step: '1m' }] }),
      registry: new FileModelRegistry(join(dir, 'models')),
      pool: new TrainingPool(1),
      store,
      clock: { now: () => Date.now() },
      logger: pino({ level: 'warn' }, { write: (l: string) => lines.push(l) }),
      metrics: createTrainingMetrics(new Registry()),
    });

    try {
      await training.start();
      await training.close();
      // The probe's rejection is handled on a later turn of the event loop.
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }

    expect(lines).toEqual([]);
  });
});
