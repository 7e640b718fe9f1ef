import { ForecastFeed } from '../../simulate/forecast-feed';
import { DailyCoverage, SHIFT_AT, SHIFT_DAY_STEPS, levelShiftTrace, upTo } from '../helpers/level-shift-trace';

/**
 * The replay's forecasts are the served, calibrated ones: the feed keeps the model it
 * conditions (so its online calibration moves on every step, as in serving) and carries the
 * calibration across its 6-hourly refits. After a level shift its q0.9 stays within 0.85–0.95
 * per 24 h, as the service's does (test/src/forecast/fitted-models.calibration).
 */
const DAYS_AFTER = 7;
const HORIZON = 6;

describe('ForecastFeed: online calibration in a replay', () => {
  it('keeps q0.9 coverage within 0.85–0.95 in every 24 h after a level shift, across refits', async () => {
    const series = levelShiftTrace(DAYS_AFTER);
    const feed = new ForecastFeed({
      model: 'seasonal',
      quantiles: [0.9],
      horizonSteps: HORIZON,
      retrainEverySeconds: 6 * 3600,
      trainEverySeconds: 6 * 3600,
      trainWindowSeconds: 14 * 86_400,
      minHistorySeconds: 86_400,
      seed: 1,
    });
    const coverage = new DailyCoverage(series);
    for (let origin = SHIFT_AT; origin + HORIZON <= SHIFT_AT + DAYS_AFTER * SHIFT_DAY_STEPS; origin++) {
      const forecast = await feed.forecastAfter(upTo(series, origin));
      coverage.add(origin, forecast!.quantiles['0.9']!);
    }
    const perDay = coverage.perDay();
    expect(perDay).toHaveLength(DAYS_AFTER);
    for (const c of perDay) {
      expect(c).toBeGreaterThanOrEqual(0.85);
      expect(c).toBeLessThanOrEqual(0.95);
    }
  });
});
