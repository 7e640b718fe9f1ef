import type { RegularSeries } from '../../models/core/forecaster';

/** A load-like series: daily sine around `level`, a weekday bump and seeded noise. */
export function syntheticLoad(options: { days: number; stepSeconds: number; seed?: number; level?: number; startMs?: number }): RegularSeries {
  const { days, stepSeconds } = options;
  const n = Math.round((days * 86_400) / stepSeconds);
  const startMs = options.startMs ?? Date.UTC(2026, 0, 5);
  let s = (options.seed ?? 1) >>> 0;
  const rand = (): number => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 4_294_967_296;
  };
  const level = options.level ?? 100;
  const values: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = startMs + i * stepSeconds * 1000;
    const hour = (t / 3_600_000) % 24;
    const weekday = new Date(t).getUTCDay() % 6 !== 0 ? 1.15 : 0.85;
    values.push(level * weekday * (1 + 0.5 * Math.sin((2 * Math.PI * (hour - 6)) / 24)) * (1 + 0.05 * (rand() - 0.5)));
  }
  return { startMs, stepSeconds, values, timezone: 'UTC' };
}

export function extend(series: RegularSeries, more: RegularSeries): RegularSeries {
  return { ...series, values: [...Array.from(series.values), ...Array.from(more.values)] };
}
