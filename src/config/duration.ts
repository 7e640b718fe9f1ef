/**
 * Durations as people write them in config, on the command line and in query parameters:
 * `30s`, `1m`, `5m`, `1h30m`, `1.5h`, `14d`, `1w`. Parsed to whole seconds; a total that is
 * not a whole number of seconds (`0.1s`, `1.5s`) is refused rather than rounded, because
 * rounding turned `horizon=0.1s` into a horizon of 0.
 */
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 };
const DURATION = /^(\d+(?:\.\d+)?[smhdw])+$/;
const PART = /(\d+(?:\.\d+)?)([smhdw])/g;

/** Seconds in `text` (a whole number, at least 1), or null when it is not such a duration. */
export function parseDurationSeconds(text: string): number | null {
  const s = text.trim();
  if (!DURATION.test(s)) return null;
  let total = 0;
  for (const [, num, unit] of s.matchAll(PART)) total += Number(num) * (UNIT_SECONDS[unit as string] as number);
  const seconds = Math.round(total);
  // The tolerance absorbs binary fractions (`0.1m` is 6.000000000000001 s), not real fractions of a second.
  return seconds >= 1 && Math.abs(total - seconds) < 1e-6 ? seconds : null;
}

/**
 * Why `text` is not a duration, for an error message. A bare number (`90`) is the common
 * slip: on the command line it is refused with the units to choose from, because `90` could
 * mean seconds or minutes. (In a config file a YAML number is read as seconds.)
 */
export function durationProblem(text: string): string {
  const s = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(s)) return `"${text}" has no unit; add one, e.g. ${s}s, ${s}m or ${s}h`;
  if (/^\d+(?:\.\d+)?[smhdw]$/.test(s)) return `"${text}" is not a whole number of seconds (at least 1s)`;
  return `"${text}" is not a duration (use e.g. 30s, 5m, 1h)`;
}

/** Shortest human form of whole seconds (`90` → `1m30s`). */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0s';
  let rest = Math.round(seconds);
  let out = '';
  for (const [unit, size] of [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
