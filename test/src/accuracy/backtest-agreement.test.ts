import { modelKind } from '../../../models/model-kinds';
import { SeriesAccuracy } from '../../../src/accuracy/series-accuracy';
import { scoresOf } from '../../../src/accuracy/score-sums';
import { regularize } from '../../../src/series/regularize';
import { backtest } from '../../../training/backtest';
import { readTrace } from '../../helpers/trace-file';

/**
 * Live accuracy is on the backtest's scale: one forecast from one origin of a shipped trace,
 * scored live once its targets are known, gives the MASE, pinball and coverage that
 * `training/backtest.ts` gives for that origin; and seasonal-naive scored live against itself
 * is a ratio of exactly 1.
 */
const HORIZON = 12; // 6 h of half-hour steps: every lead falls in a scored bucket
const LEVELS = [0.5, 0.9];

describe.each(['seasonal', 'seasonal-naive'])('%s on the NYC taxi trace', (kind) => {
  it('scores one origin as the backtest does', async () => {
    const samples = readTrace('nab_nyc_taxi_passengers.csv').slice(0, 15 * 48);
    const full = regularize(samples, { stepSeconds: 1800, kind: 'rate', timezone: 'America/New_York' });
    // One step past the last target, so its step is complete when scored.
    const origin = full.values.length - HORIZON - 1;
    const train = { ...full, values: Array.from(full.values).slice(0, origin) };
    const forecaster = modelKind(kind).create({ horizonSteps: HORIZON });
    const forecast = (await forecaster.fit(train)).predict(HORIZON, { quantiles: LEVELS });

    const live = new SeriesAccuracy(LEVELS, 1800);
    const nowMs = full.startMs + full.values.length * 1800_000;
    live.observe(train, forecast, nowMs);
    live.observe(full, forecast, nowMs);
    const scores = scoresOf(live.sums('7d', nowMs), LEVELS);

    // The backtest's last origin is `length − horizon`: on the series cut there, it is our origin.
    const cut = { ...full, values: Array.from(full.values).slice(0, origin + HORIZON) };
    const bt = await backtest(cut, [modelKind(kind).create({ horizonSteps: HORIZON })], { horizonSteps: HORIZON, windows: 1, quantiles: LEVELS, minTrainSteps: origin });
    expect(bt.origins).toEqual([origin]);
    const offline = bt.models[0]!;
    expect(scores.points).toBe(HORIZON);
    // Live sums are 32-bit floats (windowed-sums.ts): the same score to seven digits.
    expect(scores.mase).toBeCloseTo(offline.mase, 6);
    expect(scores.coverage).toEqual(offline.coverage);
    expect(((scores.pinball['0.5'] as number) + (scores.pinball['0.9'] as number)) / 2).toBeCloseTo(offline.pinball, 6);
    if (kind === 'seasonal-naive') expect(scores.maseRatio).toBeCloseTo(1, 12);
  });
});
