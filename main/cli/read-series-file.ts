import { readFileSync } from 'node:fs';
import type { RegularSeries } from '../../models/core/forecaster';
import { formatDuration } from '../../src/config/duration';
import { PrescaleError, invalidInput } from '../../src/errors/prescale-error';
import { parseCsvSamples } from '../../src/ingest/parse-samples';
import type { Sample, SeriesKind } from '../../src/series/sample';
import { regularize } from '../../src/series/regularize';

/** Reads a `timestamp,value` CSV file. @throws {PrescaleError} INVALID_INPUT naming the file and line. */
export function readSamplesFile(file: string): Sample[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalidInput('FILE', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseCsvSamples(text);
  } catch (err) {
    if (err instanceof PrescaleError) throw invalidInput(file, err.message);
    throw err;
  }
}

/**
 * Reads a CSV file onto a regular step. A file with a finer step is aggregated onto it; a
 * file with a coarser step is refused, since most steps would be empty.
 */
export function readSeriesFile(file: string, options: { stepSeconds: number; kind: SeriesKind; timezone: string }): RegularSeries {
  const samples = readSamplesFile(file);
  if (samples.length < 2) throw invalidInput(file, `holds ${samples.length} sample(s); at least 2 are needed`);
  const fileStep = medianSpacingSeconds(samples);
  if (fileStep > options.stepSeconds * 1.5) {
    throw invalidInput('--step', `${formatDuration(options.stepSeconds)} is finer than the file's own step (${formatDuration(fileStep)}); use --step ${formatDuration(fileStep)} or coarser`);
  }
  return regularize(samples, options);
}

/** Median spacing of the samples, in seconds: a file's own step. */
export function medianSpacingSeconds(samples: readonly Sample[]): number {
  const times = samples.map((s) => s.t).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  gaps.sort((a, b) => a - b);
  return (gaps[Math.floor(gaps.length / 2)] as number) / 1000;
}
