/**
 * Fits made ahead in a worker thread give the replay the same forecasts as fits made on its own
 * thread when due: the worker walks the same schedule, each fit on the prefix it is due at.
 * Two and a half days of a real minute trace (the MongoDB machine trace, test/data/traces), MSTL
 * (a kind the replay fits ahead): it needs two days, so every step from the first day on is an
 * attempt that finds too little history until then; after that a refit every 6 h.
 */
import { join } from 'node:path';
import { readSamplesFile } from '../../main/cli/read-series-file';
import type { Forecast, RegularSeries } from '../../models/core/forecaster';
import { regularize } from '../../src/series/regularize';
import { FitsAhead } from '../../simulate/fits-ahead';
import { ForecastFeed, type ForecastFeedOptions } from '../../simulate/forecast-feed';
import { TRACE_DIR } from '../helpers/trace-file';

const full = regularize(readSamplesFile(join(TRACE_DIR, 'mscm_mongodb_machine_qps.csv')), { stepSeconds: 60, kind: 'rate', timezone: 'UTC' });
const values = Array.from(full.values).slice(0, 3600);
const trace: RegularSeries = { ...full, values };
const options: ForecastFeedOptions = {
  model: 'mstl',
  quantiles: [0.5, 0.9],
  horizonSteps: 6,
  retrainEverySeconds: 6 * 3600,
  trainEverySeconds: 6 * 3600,
  trainWindowSeconds: 14 * 86_400,
  minHistorySeconds: 86_400,
  seed: 1,
};

async function forecasts(feed: ForecastFeed): Promise<(Forecast | null)[]> {
  const out: (Forecast | null)[] = [];
  try {
    for (let n = 1300; n <= trace.values.length; n++) out.push(await feed.forecastAfter({ ...trace, values: values.slice(0, n) }));
  } finally {
    await feed.close();
  }
  return out;
}

describe('FitsAhead', () => {
  it('gives the replay the forecasts of fits made when due, through several refits', async () => {
    const inline = await forecasts(new ForecastFeed(options));
    const ahead = await forecasts(new ForecastFeed(options, new FitsAhead(trace, options, options)));

    // Nothing before two days of history, then forecasts from three scheduled fits (2 d, 2.25 d, 2.5 d).
    expect(inline.findIndex((f) => f !== null)).toBe(2880 - 1300);
    expect(ahead).toHaveLength(inline.length);
    ahead.forEach((f, i) => expect(f).toEqual(inline[i]));
  }, 120_000);

  it('fails the replay with the worker’s error rather than replaying without fits', async () => {
    const broken = new FitsAhead(trace, { ...options, model: 'no-such-model' }, options);

    await expect(broken.fitAt(1440)).rejects.toThrow(/unknown model "no-such-model"/);
    await broken.close();
  });
});
