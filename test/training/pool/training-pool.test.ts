import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../src/config/load-config';
import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { TrainingPool } from '../../../training/pool/training-pool';
import { syntheticLoad } from '../../helpers/synthetic-series';

describe('TrainingPool', () => {
  let dir: string;
  let pool: TrainingPool;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'prescale-training-pool-'));
    pool = new TrainingPool(1);
  });
  afterEach(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('passes a catalog error thrown in the training worker back as itself, with its code and lengths', async () => {
    const config = parseConfig({ training: { backend: 'cpu', holdout: '1d' } }).training;
    // 100 one-minute values hold out at most 25 steps: fewer than the horizon of 30, so the trainer refuses.
    const series = { startMs: 0, stepSeconds: 60, values: Array.from({ length: 100 }, (_, i) => i % 7), timezone: 'UTC' };

    const run = pool.train({ seriesName: 'api', series, horizonSteps: 30, quantiles: [0.5], seasonalities: [], config, registry: { kind: 'files', dir, keepVersions: 10 } });

    // The one catalog error for short history, revived as itself on this side of the thread.
    await expect(run).rejects.toBeInstanceOf(InsufficientHistoryError);
    await expect(run).rejects.toMatchObject({ code: 'INSUFFICIENT_HISTORY', model: 'promotion gate', required: 120, actual: 100, message: expect.stringContaining('"api" is too short') });
  });

  it('trains in the worker, reporting each epoch, and resolves with the registered version', async () => {
    const config = parseConfig({ training: { backend: 'cpu', model: 'lstm', holdout: '1d', lstm: { units: 4, maxEpochs: 2, maxSamples: 100 } } }).training;
    const epochs: number[] = [];

    const result = await pool.train(
      { seriesName: 'api', series: syntheticLoad({ days: 8, stepSeconds: 3600 }), horizonSteps: 3, quantiles: [0.5, 0.9], seasonalities: ['daily'], config, registry: { kind: 'files', dir, keepVersions: 10 } },
      (p) => epochs.push(p.epoch),
    );

    expect(result).toMatchObject({ series: 'api', version: 'v000001', kind: 'lstm', backend: 'cpu' });
    expect(epochs.length).toBeGreaterThan(0);
  });
});
