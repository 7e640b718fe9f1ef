import * as tf from '@tensorflow/tfjs';
import { InsufficientHistoryError } from '../../../models/core/forecaster';
import { FittedLstm, LstmForecaster } from '../../../models/lstm/lstm';
import { forward, unpackWeights } from '../../../models/lstm/lstm-weights';
import { syntheticLoad } from '../../helpers/synthetic-series';

// Tiny networks and few epochs: these tests check behaviour, not accuracy (bench:accuracy does that).
const tiny = { units: 4, maxEpochs: 2, maxSamples: 200, batchSize: 64, backend: 'wasm' as const };
const series = syntheticLoad({ days: 20, stepSeconds: 3600 });
const quantiles = [0.1, 0.5, 0.9];

describe('LstmForecaster', () => {
  it('leaves no tensors behind after fit and predict', async () => {
    await tf.ready();
    const before = tf.memory().numTensors;

    const fitted = await new LstmForecaster({ ...tiny, horizonSteps: 3 }).fit(series);
    fitted.predict(3, { quantiles });

    expect(tf.memory().numTensors).toBe(before);
  });

  it('forecasts the whole horizon at once with ordered, finite quantiles', async () => {
    const fitted = await new LstmForecaster({ ...tiny, horizonSteps: 3 }).fit(series);

    const f = fitted.predict(5, { quantiles });

    expect(f.model).toBe('lstm');
    expect(f.mean).toHaveLength(5);
    expect(f.startMs).toBe(series.startMs + series.values.length * 3600_000);
    for (let h = 0; h < 5; h++) {
      expect(Number.isFinite(f.mean[h])).toBe(true);
      expect(f.quantiles['0.1']![h]!).toBeLessThanOrEqual(f.quantiles['0.5']![h]!);
      expect(f.quantiles['0.5']![h]!).toBeLessThanOrEqual(f.quantiles['0.9']![h]!);
    }
  });

  it('is reproducible: the same seed on the same backend gives the same forecast', async () => {
    const a = await new LstmForecaster({ ...tiny, horizonSteps: 3, seed: 11 }).fit(series);
    const b = await new LstmForecaster({ ...tiny, horizonSteps: 3, seed: 11 }).fit(series);

    expect(b.predict(3, { quantiles }).mean).toEqual(a.predict(3, { quantiles }).mean);
  });

  it('does not mutate its input', async () => {
    const values = Array.from(series.values);
    await new LstmForecaster({ ...tiny, horizonSteps: 3 }).fit({ ...series, values });

    expect(values).toEqual(Array.from(series.values));
  });

  it('stops at the time budget', async () => {
    let clock = 0;
    const fitted = (await new LstmForecaster({ ...tiny, maxEpochs: 50, horizonSteps: 3, timeBudgetSeconds: 5, now: () => (clock += 2000) }).fit(series)) as FittedLstm;

    expect(fitted.info.stoppedBy).toBe('time-budget');
    expect(fitted.info.epochs).toBeLessThan(50);
    expect(fitted.info.backend).toBe('wasm');
  });

  it('trains the same epochs and forecast on a slow machine as on a fast one when only an epoch budget binds (bench:accuracy)', async () => {
    // bench:accuracy sets maxEpochs and a budget of a day; each epoch here "takes" 1 ms or 20 min.
    const epochBudget = { ...tiny, maxEpochs: 4, patience: 100, timeBudgetSeconds: 86_400, horizonSteps: 3, seed: 5 };
    let fastClock = 0;
    let slowClock = 0;
    const fast = (await new LstmForecaster({ ...epochBudget, now: () => (fastClock += 1) }).fit(series)) as FittedLstm;
    const slow = (await new LstmForecaster({ ...epochBudget, now: () => (slowClock += 1_200_000) }).fit(series)) as FittedLstm;

    expect(fast.info).toMatchObject({ epochs: 4, stoppedBy: 'max-epochs' });
    expect(slow.info).toMatchObject({ epochs: 4, stoppedBy: 'max-epochs' });
    expect(slow.predict(3, { quantiles }).quantiles).toEqual(fast.predict(3, { quantiles }).quantiles);
  });

  it('throws INSUFFICIENT_HISTORY for a short series', async () => {
    const short = syntheticLoad({ days: 2, stepSeconds: 3600 });

    await expect(new LstmForecaster({ ...tiny, horizonSteps: 3 }).fit(short)).rejects.toBeInstanceOf(InsufficientHistoryError);
  });
});

describe('FittedLstm', () => {
  let fitted: FittedLstm;
  beforeAll(async () => {
    fitted = (await new LstmForecaster({ ...tiny, horizonSteps: 3 }).fit(series)) as FittedLstm;
  });

  it('round-trips through its artifact', () => {
    const again = FittedLstm.fromArtifact(fitted.toArtifact());

    expect(again.predict(3, { quantiles })).toEqual(fitted.predict(3, { quantiles }));
  });

  it('is conditioned on newer data without training: the forecast moves to the new end', async () => {
    const longer = syntheticLoad({ days: 21, stepSeconds: 3600 });

    const moved = await fitted.condition(longer);

    expect(moved.predict(3, { quantiles }).startMs).toBe(longer.startMs + longer.values.length * 3600_000);
    expect(moved.toArtifact().weights).toEqual(fitted.toArtifact().weights);
    expect((await fitted.condition(series)).predict(3, { quantiles })).toEqual(fitted.predict(3, { quantiles }));
  });

  it('runs the same network as tfjs: the JS forward pass matches tf predict on the saved topology and weights', async () => {
    const artifact = fitted.toArtifact();
    const view = artifact.weightsLayout!;
    const bytes = artifact.weights!;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: view.modelTopology, weightSpecs: [...view.weightSpecs], weightData: bytes.slice().buffer }),
    );
    const state = artifact.state as { origin: { seq: number[]; aux: number[] }; shape: { seqLen: number; horizon: number } };
    const seq = tf.tensor3d(state.origin.seq, [1, state.shape.seqLen, 5]);
    const aux = tf.tensor2d(state.origin.aux, [1, state.origin.aux.length]);
    const out = model.predict([seq, aux]) as tf.Tensor;
    const expected = Array.from(await out.data());
    tf.dispose([seq, aux, out]);
    model.dispose();

    const weights = unpackWeights({ units: 4, features: 5, auxSize: state.origin.aux.length, horizon: state.shape.horizon }, bytes);
    const js = forward(weights, state.origin.seq, 0, state.shape.seqLen, state.origin.aux, 0);

    Array.from(js).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });
});
