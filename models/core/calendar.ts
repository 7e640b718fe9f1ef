import { IANAZone } from 'luxon';

/** Local calendar position of each step of a regular grid, in the series' timezone. */
export interface CalendarGrid {
  /** Seconds since local midnight (wall clock, so DST days keep their clock times). */
  readonly secondOfDay: Int32Array;
  /** Local day of week, 0 = Monday … 6 = Sunday. */
  readonly dayOfWeek: Uint8Array;
}

const DAY_SECONDS = 86_400;
// UTC offsets only change on quarter-hour instants in every IANA zone, so one lookup per
// quarter hour is exact and saves a formatter call per point on minute-step series.
const OFFSET_BUCKET_MS = 15 * 60_000;

/** True when `timezone` is a valid IANA name (e.g. `Europe/Berlin`, `UTC`). */
export function isValidTimezone(timezone: string): boolean {
  return IANAZone.isValidZone(timezone);
}

/**
 * Computes the local time of day and day of week of `count` steps starting at `startMs`.
 * @throws {RangeError} for an unknown timezone.
 */
export function calendarGrid(startMs: number, stepSeconds: number, count: number, timezone: string): CalendarGrid {
  const zone = zoneFor(timezone);
  const secondOfDay = new Int32Array(count);
  const dayOfWeek = new Uint8Array(count);
  let bucket = Number.NaN;
  let offsetMs = 0;
  for (let i = 0; i < count; i++) {
    const ms = startMs + i * stepSeconds * 1000;
    const b = Math.floor(ms / OFFSET_BUCKET_MS);
    if (b !== bucket && zone !== null) {
      bucket = b;
      offsetMs = zone.offset(ms) * 60_000;
    }
    const localSeconds = Math.floor((ms + offsetMs) / 1000);
    const days = Math.floor(localSeconds / DAY_SECONDS);
    secondOfDay[i] = localSeconds - days * DAY_SECONDS;
    // 1970-01-01 was a Thursday (3 when Monday is 0).
    dayOfWeek[i] = (((days + 3) % 7) + 7) % 7;
  }
  return { secondOfDay, dayOfWeek };
}

// Validating a zone builds an Intl formatter (~0.2 ms); callers that forecast every step
// (the replay simulator) would spend most of their time there, so zones are looked up once.
const ZONES = new Map<string, IANAZone | null>();

/** The zone for `timezone`, or null for UTC (offset always 0, no formatter needed). */
function zoneFor(timezone: string): IANAZone | null {
  const cached = ZONES.get(timezone);
  if (cached !== undefined) return cached;
  if (!isValidTimezone(timezone)) throw new RangeError(`unknown timezone "${timezone}"`);
  const zone = timezone === 'UTC' || timezone === 'Etc/UTC' ? null : IANAZone.create(timezone);
  ZONES.set(timezone, zone);
  return zone;
}
