import { PrescaleError } from '../../../src/errors/prescale-error';
import { parseTimestamp } from '../../../src/ingest/parse-timestamp';

describe('sample timestamps', () => {
  it.each<[string, unknown, number]>([
    ['RFC 3339 UTC', '2026-11-26T10:00:00Z', Date.UTC(2026, 10, 26, 10)],
    ['RFC 3339 with fraction', '2026-11-26T10:00:00.250Z', Date.UTC(2026, 10, 26, 10, 0, 0, 250)],
    ['RFC 3339 with an offset', '2026-11-26T11:00:00+01:00', Date.UTC(2026, 10, 26, 10)],
    ['lower-case z and a space separator', '2026-11-26 10:00:00z', Date.UTC(2026, 10, 26, 10)],
    ['minutes only', '2026-11-26T10:00Z', Date.UTC(2026, 10, 26, 10)],
    ['unix seconds as a number', 1_764_151_200, 1_764_151_200_000],
    ['fractional unix seconds', 1_764_151_200.5, 1_764_151_200_500],
    ['unix seconds as a string', '1764151200', 1_764_151_200_000],
    ['the epoch', 0, 0],
    ['February 29th in a leap year', '2028-02-29T00:00:00Z', Date.UTC(2028, 1, 29)],
    ['an offset without a colon', '2026-11-26T11:00:00+0100', Date.UTC(2026, 10, 26, 10)],
  ])('parses %s', (_label, raw, ms) => {
    expect(parseTimestamp(raw, 'body[0].t')).toBe(ms);
  });

  it.each<[string, unknown]>([
    ['a date without a zone', '2026-11-26T10:00:00'],
    ['a date only', '2026-11-26'],
    ['words', 'yesterday'],
    ['an impossible date', '2026-13-45T10:00:00Z'],
    ['February 30th (which Date.parse would roll over to March 2nd)', '2026-02-30T00:00:00Z'],
    ['April 31st', '2026-04-31T00:00:00Z'],
    ['February 29th in a common year', '2026-02-29T00:00:00Z'],
    ['hour 24', '2026-11-26T24:00:00Z'],
    ['an empty string', ''],
    ['null', null],
    ['a boolean', true],
    ['negative seconds', -5],
    ['milliseconds mistaken for seconds', 1_764_151_200_000],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
  ])('rejects %s as INVALID_INPUT naming the field', (_label, raw) => {
    let error: unknown;
    try {
      parseTimestamp(raw, 'body[3].t');
    } catch (err) {
      error = err;
    }

    expect(error).toBeInstanceOf(PrescaleError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field: 'body[3].t' });
  });
});
