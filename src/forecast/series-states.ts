import type { SeriesState } from '../telemetry/state-gauges';
import type { Clock } from '../time/clock';
import type { ForecastCache } from './cached-forecast';
import type { ForecastReader } from './forecast-reader';

/**
 * The per-series state the scrape-time gauges read (`registerStateGauges`): forecast age,
 * sample age, staleness and the value served for the current step, the same one a
 * consumer gets (so `/metrics` never disagrees with the APIs).
 */
export async function seriesStates(deps: { reader: ForecastReader; cache: ForecastCache; clock: Clock }): Promise<SeriesState[]> {
  const listed = await deps.reader.listSeries();
  const nowMs = deps.clock.now();
  return listed.map((s) => {
    const cached = deps.cache.get(s.name);
    return {
      series: s.name,
      forecastAgeSeconds: cached ? (nowMs - cached.generatedAtMs) / 1000 : null,
      sampleAgeSeconds: s.freshness.ageSeconds,
      stale: s.freshness.stale,
      nextValue: cached ? (deps.reader.forecast(s.name).points[0]?.value ?? null) : null,
    };
  });
}
