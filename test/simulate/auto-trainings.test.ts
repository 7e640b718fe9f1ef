/**
 * `--model auto` in a replay trains as the service does under its default `forecast.model: auto`
 * (src/model-selection/candidate-training.ts): a candidate of every kind the window supports, the winner
 * gated against the version serving. On the real hourly purchase trace.
 */
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { regularize } from '../../src/series/regularize';
import { AutoTrainings } from '../../simulate/auto-trainings';
import { type FitSpec, fitWindow } from '../../simulate/fit-schedule';
import { TRACE_DIR } from '../helpers/trace-file';

const HOUR = 3600;
const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_purchase_count_04.csv')), { stepSeconds: HOUR, kind: 'rate', timezone: 'UTC' });
const first = (hours: number): RegularSeries => ({ ...full, values: Array.from(full.values).slice(0, hours) });
const spec: FitSpec = { model: 'auto', horizonSteps: 2, seed: 1, trainWindowSeconds: 14 * 86_400 };
const trainings = (): AutoTrainings => new AutoTrainings(spec, (kind, window) => fitWindow(kind, window, null));

describe('a replay’s trainings under forecast.model auto', () => {
  it('serves the seasonal fit while the window is too short for a training, as the refresh does before any promotion', async () => {
    const auto = trainings();

    // Six hours: a quarter of them is shorter than the 2-step horizon, so no held-out stretch.
    const served = await auto.train(first(6));

    expect(served?.name).toBe('seasonal');
    expect(auto.promotions).toBe(0);
  });

  it('serves the promoted winner of the held-out day, then keeps it (conditioned) when a candidate on the same data cannot beat it by the margin', async () => {
    const auto = trainings();

    const promoted = await auto.train(first(5 * 24));
    expect(auto.promotions).toBe(1);
    expect(['seasonal-naive', 'seasonal']).toContain(promoted?.name);

    const again = await auto.train(first(5 * 24));
    expect(auto.promotions).toBe(1);
    expect(again?.name).toBe(promoted?.name);
    // The serving version, brought to the window: the same forecast as the promoted one.
    expect(again!.predict(2, { quantiles: [0.5] }).mean).toEqual(promoted!.predict(2, { quantiles: [0.5] }).mean);
  });

  it('promotes seasonal-naive when it wins the choice with nothing serving (it is the gate’s baseline, so no margin over itself applies)', async () => {
    const auto = trainings();

    // On its first 30 hours the trace's last day repeats best: seasonal-naive wins the held-out stretch.
    const served = await auto.train(first(30));

    expect(auto.lastChoice?.chosen).toBe('seasonal-naive');
    expect(auto.promotions).toBe(1);
    expect(served?.name).toBe('seasonal-naive');
  });

  it('scores MSTL and the ensemble once the window holds two weeks', async () => {
    const auto = trainings();

    const served = await auto.train(first(15 * 24));

    expect(auto.lastChoice?.candidates.map((c) => c.kind)).toEqual(['seasonal-naive', 'seasonal', 'mstl', 'ensemble']);
    expect(served?.name).toBe(auto.promotions === 1 ? auto.lastChoice!.chosen : 'seasonal');
  }, 120_000);
});
