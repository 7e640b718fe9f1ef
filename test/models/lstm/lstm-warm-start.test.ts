import { FittedLstm, LstmForecaster } from '../../../models/lstm/lstm';
import { modelKind } from '../../../models/model-kinds';
import type { RegularSeries } from '../../../models/core/forecaster';
import { syntheticLoad } from '../../helpers/synthetic-series';

// Tiny networks: these tests check that a warm start starts from the earlier weights, not accuracy
// (docs/training.md has the measured epochs and errors on the real traces).
const tiny = { units: 4, maxEpochs: 3, maxSamples: 200, batchSize: 64, backend: 'wasm' as const, horizonSteps: 3 };
const full = syntheticLoad({ days: 21, stepSeconds: 3600 });
const older: RegularSeries = { ...full, values: Array.from(full.values).slice(0, 20 * 24) };
const quantiles = [0.5];
const frozen = { ...tiny, learningRate: 1e-12, maxEpochs: 1 };

describe('LSTM warm start (FitOptions.warmStart)', () => {
  let previous: FittedLstm;
  beforeAll(async () => {
    previous = (await new LstmForecaster({ ...tiny, seed: 3 }).fit(older)) as FittedLstm;
  });

  it('trains from the earlier weights: with a learning rate of ~0 the new fit keeps them', async () => {
    const warm = (await new LstmForecaster({ ...frozen, seed: 9 }).fit(full, { warmStart: previous })) as FittedLstm;
    const cold = (await new LstmForecaster({ ...frozen, seed: 9 }).fit(full)) as FittedLstm;

    expect(warm.info.warmStarted).toBe(true);
    expect(cold.info.warmStarted).toBe(false);
    // Same weights as before: the forecast is the earlier network's, conditioned to the new end
    // (within 1 %: the input scaling is refitted on the longer history).
    const previousHere = (await previous.condition(full)).predict(3, { quantiles }).mean;
    const warmMean = warm.predict(3, { quantiles }).mean;
    warmMean.forEach((v, h) => expect(Math.abs(v / previousHere[h]! - 1)).toBeLessThan(0.01));
    expect(Array.from(warm.networkWeights.kernel)).toEqual(Array.from(previous.networkWeights.kernel).map((w) => expect.closeTo(w, 5)));
    // The seeded initialisation is another network altogether.
    expect(Array.from(cold.networkWeights.kernel)).not.toEqual(Array.from(warm.networkWeights.kernel));
  });

  it('ignores an earlier model of other dimensions or kind, and trains from the seed', async () => {
    const wider = (await new LstmForecaster({ ...tiny, units: 6 }).fit(full, { warmStart: previous })) as FittedLstm;
    const longer = (await new LstmForecaster({ ...tiny, horizonSteps: 4 }).fit(full, { warmStart: previous })) as FittedLstm;
    const seasonal = await modelKind('seasonal').create({ horizonSteps: 3 }).fit(older);
    const other = (await new LstmForecaster(tiny).fit(full, { warmStart: seasonal })) as FittedLstm;

    expect([wider.info.warmStarted, longer.info.warmStarted, other.info.warmStarted]).toEqual([false, false, false]);
  });

  it('reaches through the online calibration: a served (calibrated) LSTM warm-starts the next', async () => {
    const kind = modelKind('lstm');
    const served = await kind.create({ horizonSteps: 3, training: { backend: 'wasm', lstm: { units: 4, maxEpochs: 2, maxSamples: 200, batchSize: 64 } } }).fit(older);
    const next = await kind.create({ horizonSteps: 3, training: { backend: 'wasm', lstm: { units: 4, maxEpochs: 1, maxSamples: 200, batchSize: 64 } } }).fit(full, { warmStart: served });

    const inner = (next as unknown as { inner: FittedLstm }).inner;
    expect(inner.info.warmStarted).toBe(true);
  });
});
