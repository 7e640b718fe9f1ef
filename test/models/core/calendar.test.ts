import { calendarGrid, isValidTimezone } from '../../../models/core/calendar';

const HOUR = 3600;
const MON = 0;
const SAT = 5;
const SUN = 6;

/** Local wall-clock seconds of `h:m`. */
const at = (h: number, m = 0): number => h * HOUR + m * 60;

describe('calendar grid', () => {
  // Each row: the UTC instant, the zone, and the wall clock and weekday people there saw.
  it.each<[string, string, string, number, number]>([
    // Europe/Berlin spring forward, Sunday 2026-03-29: 02:00 CET → 03:00 CEST (01:00 UTC).
    ['Berlin, just before spring forward', 'Europe/Berlin', '2026-03-29T00:59:00Z', at(1, 59), SUN],
    ['Berlin, first minute of summer time', 'Europe/Berlin', '2026-03-29T01:00:00Z', at(3, 0), SUN],
    ['Berlin, noon after spring forward', 'Europe/Berlin', '2026-03-29T10:00:00Z', at(12), SUN],
    ['Berlin, Monday midnight after spring forward', 'Europe/Berlin', '2026-03-29T22:00:00Z', 0, MON],
    // Europe/Berlin fall back, Sunday 2026-10-25: 03:00 CEST → 02:00 CET (01:00 UTC); 02:30 happens twice.
    ['Berlin, first 02:30 (summer time)', 'Europe/Berlin', '2026-10-25T00:30:00Z', at(2, 30), SUN],
    ['Berlin, second 02:30 (winter time)', 'Europe/Berlin', '2026-10-25T01:30:00Z', at(2, 30), SUN],
    ['Berlin, Monday midnight after fall back', 'Europe/Berlin', '2026-10-25T23:00:00Z', 0, MON],
    ['Berlin, Saturday before fall back', 'Europe/Berlin', '2026-10-24T21:59:00Z', at(23, 59), SAT],
    // America/New_York spring forward, Sunday 2026-03-08: 02:00 EST → 03:00 EDT (07:00 UTC).
    ['New York, just before spring forward', 'America/New_York', '2026-03-08T06:59:00Z', at(1, 59), SUN],
    ['New York, first minute of daylight time', 'America/New_York', '2026-03-08T07:00:00Z', at(3, 0), SUN],
    ['New York, Monday midnight after spring forward', 'America/New_York', '2026-03-09T04:00:00Z', 0, MON],
    // America/New_York fall back, Sunday 2026-11-01: 02:00 EDT → 01:00 EST (06:00 UTC); 01:30 happens twice.
    ['New York, first 01:30 (daylight time)', 'America/New_York', '2026-11-01T05:30:00Z', at(1, 30), SUN],
    ['New York, second 01:30 (standard time)', 'America/New_York', '2026-11-01T06:30:00Z', at(1, 30), SUN],
    ['New York, Saturday evening before fall back', 'America/New_York', '2026-11-01T03:30:00Z', at(23, 30), SAT],
    ['New York, Monday midnight after fall back', 'America/New_York', '2026-11-02T05:00:00Z', 0, MON],
    ['UTC has no switch', 'UTC', '2026-03-29T01:00:00Z', at(1), SUN],
  ])('%s: %s at %s is local second %i on weekday %i', (_label, zone, iso, secondOfDay, dayOfWeek) => {
    const grid = calendarGrid(Date.parse(iso), 60, 1, zone);

    expect(grid.secondOfDay[0]).toBe(secondOfDay);
    expect(grid.dayOfWeek[0]).toBe(dayOfWeek);
  });

  it.each([
    ['Europe/Berlin', '2026-03-28T23:00:00Z', 23],
    ['Europe/Berlin', '2026-10-24T22:00:00Z', 25],
    ['America/New_York', '2026-03-08T05:00:00Z', 23],
    ['America/New_York', '2026-11-01T04:00:00Z', 25],
  ])('walks a %s DST day from local midnight (%s) on a 1-minute grid: %i hours until the next local midnight', (zone, midnightIso, hours) => {
    const count = hours * 60 + 1;

    const grid = calendarGrid(Date.parse(midnightIso), 60, count, zone);

    expect(grid.secondOfDay[0]).toBe(0);
    expect(grid.dayOfWeek[0]).toBe(SUN);
    expect(grid.secondOfDay[count - 1]).toBe(0);
    expect(grid.dayOfWeek[count - 1]).toBe(MON);
    // Every step in between is still Sunday, and the wall clock only jumps at the switch.
    for (let i = 1; i < count - 1; i++) expect(grid.dayOfWeek[i]).toBe(SUN);
    let jumps = 0;
    for (let i = 1; i < count - 1; i++) if (grid.secondOfDay[i]! - grid.secondOfDay[i - 1]! !== 60) jumps++;
    expect(jumps).toBe(1);
  });

  it('matches UTC clock positions on a 5-minute grid over a week in UTC', () => {
    const start = Date.parse('2026-01-05T00:00:00Z'); // Monday

    const grid = calendarGrid(start, 300, 7 * 288, 'UTC');

    for (let i = 0; i < 7 * 288; i++) {
      expect(grid.secondOfDay[i]).toBe((i % 288) * 300);
      expect(grid.dayOfWeek[i]).toBe(Math.floor(i / 288));
    }
  });

  it('throws for an unknown timezone', () => {
    expect(() => calendarGrid(0, 60, 1, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(() => calendarGrid(0, 60, 1, 'Mars/Olympus_Mons')).toThrow(/unknown timezone "Mars\/Olympus_Mons"/);
  });

  it.each([
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['UTC', true],
    ['Europe/Atlantis', false],
    ['', false],
  ])('says whether %j is a valid IANA zone (%s)', (zone, valid) => {
    expect(isValidTimezone(zone)).toBe(valid);
  });
});
