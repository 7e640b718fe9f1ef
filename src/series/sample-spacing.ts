import type { Sample } from './sample';

/**
 * Median spacing of the samples, in seconds: a file's own step. The median, not the first gap,
 * because real exports start mid-outage or with a duplicated scrape, and one odd gap must not
 * put a whole trace on the wrong step. NaN with fewer than two samples.
 */
export function medianSpacingSeconds(samples: readonly Sample[]): number {
  const times = samples.map((s) => s.t).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  if (gaps.length === 0) return Number.NaN;
  gaps.sort((a, b) => a - b);
  return (gaps[Math.floor(gaps.length / 2)] as number) / 1000;
}

/** The step a series of these samples is put on: their median spacing in whole seconds, at least 1 (the step every model and the store work in). */
export function inferredStepSeconds(samples: readonly Sample[]): number {
  return Math.max(1, Math.round(medianSpacingSeconds(samples)));
}
