import { iso } from '../../../src/time/iso';
import { parseInstant } from '../../../src/time/parse-instant';

describe('parseInstant', () => {
  it.each<[string, string, ReturnType<typeof parseInstant>]>([
    ['UTC', '2026-12-01T09:00:00Z', { ok: true, ms: Date.UTC(2026, 11, 1, 9) }],
    ['an offset', '2026-12-01T10:00:00.250+01:00', { ok: true, ms: Date.UTC(2026, 11, 1, 9, 0, 0, 250) }],
    ['minutes only, lower-case z, space separator', '2026-12-01 09:00z', { ok: true, ms: Date.UTC(2026, 11, 1, 9) }],
    ['surrounding blanks', ' 2026-12-01T09:00:00Z ', { ok: true, ms: Date.UTC(2026, 11, 1, 9) }],
    ['no zone (would be read in local time)', '2026-12-01T09:00:00', { ok: false, problem: 'format' }],
    ['a time of day only', '09:00', { ok: false, problem: 'format' }],
    ['a date only', '2026-12-01', { ok: false, problem: 'format' }],
    ['February 30th', '2026-02-30T00:00:00Z', { ok: false, problem: 'date' }],
    ['hour 24', '2026-12-01T24:00:00Z', { ok: false, problem: 'date' }],
  ])('%s: %s', (_name, raw, expected) => {
    expect(parseInstant(raw)).toEqual(expected);
  });
});

describe('iso', () => {
  it('formats epoch ms as a UTC instant with milliseconds, and keeps null', () => {
    expect(iso(Date.UTC(2026, 11, 1, 9, 0, 0, 5))).toBe('2026-12-01T09:00:00.005Z');
    expect(iso(null)).toBeNull();
  });
});
