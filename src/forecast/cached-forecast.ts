import type { Forecast } from '../../models/core/forecaster';
import type { Sample } from '../series/sample';

/** The latest forecast of one series, as served. */
export interface CachedForecast {
  series: string;
  forecast: Forecast;
  /** Epoch ms when it was computed. */
  generatedAtMs: number;
  /** The newest sample it was fitted on. */
  lastObserved: Sample;
  /** Set when the configured model could not run and a simpler one answered; says why. */
  fallbackReason?: string;
}

/** Latest forecast per series; serving reads only from here, so no model runs on a request. */
export class ForecastCache {
  private readonly entries = new Map<string, CachedForecast>();

  get(series: string): CachedForecast | undefined {
    return this.entries.get(series);
  }

  set(entry: CachedForecast): void {
    this.entries.set(entry.series, entry);
  }

  all(): CachedForecast[] {
    return [...this.entries.values()];
  }
}
