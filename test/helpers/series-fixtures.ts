import type { RegularSeries } from '../../models/core/forecaster';
import { seededRandom } from '../../models/core/seeded-random';

export { seededRandom };

/** 2026-01-05T00:00:00Z, a Monday, so daily and weekly cycles start at a known phase. */
export const MONDAY_MS = Date.UTC(2026, 0, 5);

/**
 * A load-like series: a daily double-peak shape, quieter weekends, and ±noise% multiplicative
 * noise, on `stepSeconds` for `days` days from {@link MONDAY_MS}.
 */
export function dailyPeriodicSeries(options: { days: number; stepSeconds?: number; noise?: number; seed?: number; weekly?: boolean }): RegularSeries {
  const stepSeconds = options.stepSeconds ?? 300;
  const noise = options.noise ?? 0.05;
  const rnd = seededRandom(options.seed ?? 7);
  const count = Math.round((options.days * 86_400) / stepSeconds);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    const seconds = i * stepSeconds;
    const hour = (seconds % 86_400) / 3600;
    const day = Math.floor(seconds / 86_400) % 7;
    const shape = 20 + 60 * Math.exp(-0.5 * ((hour - 10) / 2) ** 2) + 80 * Math.exp(-0.5 * ((hour - 16) / 2.5) ** 2);
    const weekly = options.weekly === false || day < 5 ? 1 : 0.6;
    values.push(shape * weekly * (1 + noise * (2 * rnd() - 1)));
  }
  return { startMs: MONDAY_MS, stepSeconds, values, timezone: 'UTC' };
}

/** The first `count` steps of `series`. */
export function head(series: RegularSeries, count: number): RegularSeries {
  return { ...series, values: Array.from(series.values).slice(0, count) };
}

/** The series with its values as a plain array: step reads give a `Float64Array`, `regularize` a plain one, and `toEqual` tells the two apart. */
export function withPlainValues(series: RegularSeries): RegularSeries {
  return { ...series, values: Array.from(series.values) };
}
