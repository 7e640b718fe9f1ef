import { Gauge, type Registry } from 'prom-client';

/** Per-series state read at scrape time. */
export interface SeriesState {
  series: string;
  /** Seconds since the cached forecast was made; null when there is none. */
  forecastAgeSeconds: number | null;
  /** Seconds since the newest sample; null when there is none. */
  sampleAgeSeconds: number | null;
  stale: boolean;
  /** The published value for the current step (the last observation when stale); null without a forecast. */
  nextValue?: number | null;
}

/** Registers gauges that ask `read()` for the current state on every scrape. */
export function registerStateGauges(registry: Registry, readState: () => SeriesState[] | Promise<SeriesState[]>): void {
  // One read per scrape, shared by the four gauges (the store may answer over the network).
  let scrape: Promise<SeriesState[]> | null = null;
  const read = async (): Promise<SeriesState[]> => {
    scrape ??= Promise.resolve(readState()).finally(() => setImmediate(() => (scrape = null)));
    return scrape;
  };
  new Gauge({
    name: 'prescale_forecast_age_seconds',
    help: 'Seconds since the served forecast of the series was computed.',
    labelNames: ['series'],
    registers: [registry],
    async collect() {
      const states = await read();
      this.reset();
      for (const s of states) if (s.forecastAgeSeconds !== null) this.set({ series: s.series }, s.forecastAgeSeconds);
    },
  });
  new Gauge({
    name: 'prescale_series_last_sample_age_seconds',
    help: 'Seconds since the newest sample of the series.',
    labelNames: ['series'],
    registers: [registry],
    async collect() {
      const states = await read();
      this.reset();
      for (const s of states) if (s.sampleAgeSeconds !== null) this.set({ series: s.series }, s.sampleAgeSeconds);
    },
  });
  new Gauge({
    name: 'prescale_series_stale',
    help: '1 when the series has had no sample for staleAfter steps (serving falls back to the last observation), else 0.',
    labelNames: ['series'],
    registers: [registry],
    async collect() {
      const states = await read();
      this.reset();
      for (const s of states) this.set({ series: s.series }, s.stale ? 1 : 0);
    },
  });
  new Gauge({
    name: 'prescale_forecast_value',
    // No stale label: a label whose value flips would start a new series on every change;
    // prescale_series_stale says when this value is the fallback to the last observation.
    help: 'Published forecast for the current step (p50 point), or the last observation while prescale_series_stale is 1.',
    labelNames: ['series'],
    registers: [registry],
    async collect() {
      const states = await read();
      this.reset();
      for (const s of states) if (s.nextValue !== undefined && s.nextValue !== null) this.set({ series: s.series }, s.nextValue);
    },
  });
}
