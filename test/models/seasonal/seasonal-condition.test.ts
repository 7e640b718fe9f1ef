import { join } from 'node:path';
import type { RegularSeries } from '../../../models/core/forecaster';
import { SeasonalForecaster } from '../../../models/seasonal/seasonal';
import { readSamplesFile } from '../../../main/cli/read-series-file';
import { regularize } from '../../../src/series/regularize';
import { TRACE_DIR } from '../../helpers/trace-file';

// A real minute-step trace (test/data/traces), first four days.
const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_app_qps_02.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const prefix = (n: number): RegularSeries => ({ ...full, values: Array.from(full.values).slice(0, n) });

describe('FittedSeasonal.condition', () => {
  it('on the training series itself gives the same forecast as predict', async () => {
    const train = prefix(3 * 1440);
    const fitted = await new SeasonalForecaster({ horizonSteps: 10 }).fit(train);
    const a = fitted.predict(10, { quantiles: [0.5, 0.9] });
    const b = (await fitted.condition(train)).predict(10, { quantiles: [0.5, 0.9] });
    expect(b.startMs).toBe(a.startMs);
    for (let i = 0; i < 10; i++) {
      expect(b.mean[i]).toBeCloseTo(a.mean[i] as number, 9);
      expect(b.quantiles['0.9']![i]).toBeCloseTo(a.quantiles['0.9']![i] as number, 9);
    }
  });

  it('conditions on newer data: starts after the extended history and follows its level', async () => {
    const train = prefix(3 * 1440);
    const fitted = await new SeasonalForecaster({ horizonSteps: 5 }).fit(train);
    const extended = prefix(3 * 1440 + 120);
    const f = (await fitted.condition(extended)).predict(5, { quantiles: [0.5] });
    expect(f.startMs).toBe(extended.startMs + extended.values.length * 60_000);
    // The same extension doubled: the conditioned forecast moves up with the newest level.
    const doubled: RegularSeries = { ...extended, values: Array.from(extended.values, (v, i) => (i >= 3 * 1440 ? v * 2 : v)) };
    const g = (await fitted.condition(doubled)).predict(5, { quantiles: [0.5] });
    expect(g.mean[0] as number).toBeGreaterThan((f.mean[0] as number) * 1.3);
  });

  it('refuses a series on another step', async () => {
    const fitted = await new SeasonalForecaster().fit(prefix(2 * 1440));
    await expect(fitted.condition({ ...prefix(100), stepSeconds: 300 })).rejects.toThrow(RangeError);
  });
});
