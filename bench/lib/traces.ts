import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RegularSeries } from '../../models/core/forecaster';
import { readSamplesFile } from '../../main/cli/read-series-file';
import { packageRoot } from '../../src/runtime/package-root';
import { regularize } from '../../src/series/regularize';
import { inferredStepSeconds } from '../../src/series/sample-spacing';

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

/**
 * Where the accuracy and replay benchmarks read their traces: `$PRESCALE_DATA` when set (any
 * folder of `timestamp,value` CSV files, such as an evaluation set), else the shipped ones.
 */
export function traceDir(): string {
  return resolve(process.env['PRESCALE_DATA'] ?? TRACES_DIR);
}

/** Every trace in `dir` on its own step. */
export function loadTraces(dir: string = TRACES_DIR): Trace[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => loadTrace(file.replace(/\.csv$/, ''), dir));
}

/**
 * One trace, `name`.csv in `dir`, on its own step: the median spacing of its timestamps, as the
 * CLI infers it, so an outage or a duplicated row at the start does not set the step.
 */
export function loadTrace(name: string, dir: string = TRACES_DIR): Trace {
  // The CLI's reader, so a bad row is reported with the file and line it is on.
  const samples = readSamplesFile(join(dir, `${name}.csv`));
  return { name, series: regularize(samples, { stepSeconds: inferredStepSeconds(samples), kind: 'rate', timezone: TRACE_TIMEZONES[name] ?? 'UTC' }) };
}

/** Geometric mean of positive finite values. */
export function geometricMean(values: readonly number[]): number {
  const ok = values.filter((v) => v > 0 && Number.isFinite(v));
  return Math.exp(ok.reduce((s, v) => s + Math.log(v), 0) / ok.length);
}
