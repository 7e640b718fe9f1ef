import type { Forecast } from '../../../models/core/forecaster';
import { applyObservationFloor } from '../../../src/forecast/observation-floor';

const T0 = Date.UTC(2026, 10, 26, 10);

function forecast(mean: number[], q9: number[]): Forecast {
  return { startMs: T0 + 60_000, stepSeconds: 60, mean, quantiles: { '0.5': [...mean], '0.9': q9 }, model: 'seasonal' };
}

describe('observation floor (safety rule 1)', () => {
  it('raises every value within the floor horizon to the latest observation and leaves later steps alone', () => {
    const f = forecast([5, 12, 5, 5], [8, 15, 8, 8]);

    const floored = applyObservationFloor(f, { t: T0, v: 10 }, 120);

    expect(floored.mean).toEqual([10, 12, 5, 5]);
    expect(floored.quantiles['0.5']).toEqual([10, 12, 5, 5]);
    expect(floored.quantiles['0.9']).toEqual([10, 15, 8, 8]);
  });

  it('does not mutate the forecast it floors', () => {
    const f = forecast([1, 1], [2, 2]);

    applyObservationFloor(f, { t: T0, v: 10 }, 600);

    expect(f.mean).toEqual([1, 1]);
    expect(f.quantiles['0.9']).toEqual([2, 2]);
  });

  it('changes nothing when the forecast is already above the observation', () => {
    const f = forecast([20, 30], [25, 35]);

    expect(applyObservationFloor(f, { t: T0, v: 10 }, 600)).toEqual(f);
  });
});
