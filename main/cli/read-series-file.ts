import { readFileSync } from 'node:fs';
import type { RegularSeries } from '../../models/core/forecaster';
import { formatDuration } from '../../src/config/duration';
import { PrescaleError, invalidInput } from '../../src/errors/prescale-error';
import { parseCsvSamples } from '../../src/ingest/parse-samples';
import type { Sample, SeriesKind } from '../../src/series/sample';
import { regularize } from '../../src/series/regularize';
import { inferredStepSeconds, medianSpacingSeconds } from '../../src/series/sample-spacing';

/** The file argument that means standard input, as in other Unix tools (`cat f.csv | prescale forecast -`). */
export const STDIN_FILE = '-';

/** How a file is named in messages: standard input has no path of its own. */
export function fileLabel(file: string): string {
  return file === STDIN_FILE ? 'stdin' : file;
}

/**
 * Reads a `timestamp,value` CSV file, or standard input for `-`. Standard input can be read
 * once only, so every command reads its file through here exactly once.
 * @throws {PrescaleError} INVALID_INPUT naming the file and line.
 */
export function readSamplesFile(file: string): Sample[] {
  let text: string;
  try {
    text = readFileSync(file === STDIN_FILE ? 0 : file, 'utf8');
  } catch (err) {
    throw invalidInput('FILE', `cannot read ${fileLabel(file)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return parseCsvSamples(text);
  } catch (err) {
    if (err instanceof PrescaleError) throw invalidInput(fileLabel(file), err.message);
    throw err;
  }
}

export interface SeriesFileOptions {
  /** The step to put the samples on; absent: the file's own (median spacing), said on `notices`. */
  stepSeconds?: number | undefined;
  kind: SeriesKind;
  timezone: string;
  /** Where the inferred step is reported (stderr), so stdout stays the command's result. */
  notices?: NodeJS.WritableStream;
}

/**
 * Reads a CSV file onto a regular step. A file with a finer step is aggregated onto it; a
 * file with a coarser step is refused, since most steps would be empty.
 */
export function readSeriesFile(file: string, options: SeriesFileOptions): RegularSeries {
  return samplesOnStep(readSamplesFile(file), file, options);
}

/** `samples` (read from `file`) on the given or the inferred step. */
export function samplesOnStep(samples: readonly Sample[], file: string, options: SeriesFileOptions): RegularSeries {
  if (samples.length < 2) throw invalidInput(fileLabel(file), `holds ${samples.length} sample(s); at least 2 are needed`);
  const fileStep = medianSpacingSeconds(samples);
  if (options.stepSeconds === undefined) {
    const stepSeconds = inferredStepSeconds(samples);
    (options.notices ?? process.stderr).write(`prescale: no --step given; using ${formatDuration(stepSeconds)}, the median spacing of the timestamps in ${fileLabel(file)}\n`);
    return regularize(samples, { stepSeconds, kind: options.kind, timezone: options.timezone });
  }
  if (fileStep > options.stepSeconds * 1.5) {
    throw invalidInput('--step', `${formatDuration(options.stepSeconds)} is finer than the file's own step (${formatDuration(fileStep)}); use --step ${formatDuration(fileStep)} or coarser`);
  }
  return regularize(samples, { stepSeconds: options.stepSeconds, kind: options.kind, timezone: options.timezone });
}
