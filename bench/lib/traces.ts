import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { parseCsvSamples } from '../../src/ingest/parse-samples';
import { packageRoot } from '../../src/runtime/package-root';
import { regularize } from '../../src/series/regularize';

/** The real traces the project ships (test/data/traces: the development set with its README and notices). */
export const TRACES_DIR = join(packageRoot(), 'test', 'data', 'traces');

/** Calendar zones per trace, from test/data/traces/README.md; the rest are UTC. */
const TRACE_TIMEZONES: Record<string, string> = {
  nab_nyc_taxi_passengers: 'America/New_York',
  mscm_ecommerce_api_rps: 'America/Los_Angeles',
};

export interface Trace {
  name: string;
  series: RegularSeries;
}

/** Every shipped trace on its own step. */
export function loadTraces(dir: string = TRACES_DIR): Trace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.csv$/, '');
      const samples = parseCsvSamples(readFileSync(join(dir, file), 'utf8'));
      const stepSeconds = Math.round(((samples[1]?.t ?? 0) - (samples[0]?.t ?? 0)) / 1000);
      return { name, series: regularize(samples, { stepSeconds, kind: 'rate', timezone: TRACE_TIMEZONES[name] ?? 'UTC' }) };
    });
}

/** Geometric mean of positive finite values. */
export function geometricMean(values: readonly number[]): number {
  const ok = values.filter((v) => v > 0 && Number.isFinite(v));
  return Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
}
