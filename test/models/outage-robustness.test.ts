import type { RegularSeries } from '../../models/core/forecaster';
import { MODEL_KINDS } from '../../models/model-kinds';
import { regularize } from '../../src/series/regularize';
import { backtest } from '../../training/backtest';
import { readTrace } from '../helpers/trace-file';

/**
 * Long outages in the history (issue 15, item 6): a shipped trace (NYC taxi passengers,
 * 30-minute steps, the last 40 days) with a four-day hole cut into it a week before the end
 * must forecast about as well as the intact trace: the hole may be learned neither as a season
 * (a straight line across days) nor as zeros. Scored by the shared backtest on the same
 * origins, over the last two days. The trained kinds (LSTM, ensemble) take minutes here and are
 * covered by bench:accuracy; their statistical members are these.
 */
const STEP = 1800;
const DAY = 86_400 / STEP;
const full = regularize(readTrace('nab_nyc_taxi_passengers.csv'), { stepSeconds: STEP, kind: 'rate', timezone: 'America/New_York' });
const values = Array.from(full.values).slice(-40 * DAY);
const intact: RegularSeries = { ...full, startMs: full.startMs + (full.values.length - values.length) * STEP * 1000, values };
const holed: RegularSeries = { ...intact, values: values.map((v, i) => (i >= values.length - 11 * DAY && i < values.length - 7 * DAY ? Number.NaN : v)) };

describe.each(['seasonal', 'mstl', 'seasonal-naive'])('%s with a four-day outage in its history', (kind) => {
  it('forecasts within 15% of its MASE on the intact history', async () => {
    const options = { horizonSteps: 4, windows: 8, strideSteps: 12, minTrainSteps: values.length - 2 * DAY };
    const model = () => [MODEL_KINDS[kind]!.create({ horizonSteps: 4 })];

    const withHole = (await backtest(holed, model(), options)).models[0]!;
    const without = (await backtest(intact, model(), options)).models[0]!;

    expect(withHole.windows).toBe(8);
    process.stdout.write(`${kind}: MASE ${withHole.mase.toFixed(3)} with the hole, ${without.mase.toFixed(3)} without\n`);
    expect(withHole.mase).toBeLessThanOrEqual(1.15 * without.mase);
  });
});

/**
 * The same outage as a dead exporter reports it: four days of zeros (a recording rule with
 * `or vector(0)`, a sum over pods that are all down) instead of no samples. Every kind reads a
 * flat stretch that the same hours on other days do not share as missing
 * (models/core/flatline-outages.ts), so it forecasts exactly as it does across the hole.
 */
const zeroed: RegularSeries = { ...intact, values: values.map((v, i) => (i >= values.length - 11 * DAY && i < values.length - 7 * DAY ? 0 : v)) };

describe.each([
  ['seasonal', {}],
  ['mstl', {}],
  ['seasonal-naive', {}],
  ['lstm', { lstm: { maxEpochs: 2 } }],
])('%s with four days of zeros in its history', (kind, training) => {
  it('forecasts as it does with the four days missing', async () => {
    const create = () => MODEL_KINDS[kind]!.create({ horizonSteps: 4, training });
    const forecastOf = async (series: RegularSeries) => (await create().fit(series)).predict(4, { quantiles: [0.1, 0.9] });

    const fromZeros = await forecastOf(zeroed);
    const fromHole = await forecastOf(holed);

    expect(fromZeros.mean).toEqual(fromHole.mean);
    expect(fromZeros.quantiles).toEqual(fromHole.quantiles);
    // Zeros read as load would pull the weekly profile down a week later: they must not.
    const fromIntact = await forecastOf(intact);
    const gap = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, h) => s + Math.abs(v - b[h]!), 0) / a.length;
    const level = fromIntact.mean.reduce((s, v) => s + v, 0) / fromIntact.mean.length;
    expect(gap(fromZeros.mean, fromIntact.mean)).toBeLessThan(0.25 * level);
  });
});
