import { PrescaleError } from '../../../src/errors/prescale-error';
import { parseCsvSamples, parseJsonSamples } from '../../../src/ingest/parse-samples';

const T0 = Date.UTC(2026, 10, 26, 10);

function thrown(run: () => unknown): PrescaleError {
  try {
    run();
  } catch (err) {
    if (err instanceof PrescaleError) return err;
    throw err;
  }
  throw new Error('expected a PrescaleError');
}

describe('JSON sample batches', () => {
  it('parses RFC 3339 and unix-second timestamps and numeric values', () => {
    const samples = parseJsonSamples(
      [
        { t: '2026-11-26T10:00:00Z', v: 42.5 },
        { t: T0 / 1000 + 60, v: 0 },
        { t: '2026-11-26T10:02:00Z', v: '7' },
      ],
      100,
    );

    expect(samples).toEqual([
      { t: T0, v: 42.5 },
      { t: T0 + 60_000, v: 0 },
      { t: T0 + 120_000, v: 7 },
    ]);
  });

  it.each<[string, unknown, string, string]>([
    ['a body that is not an array', { t: 1, v: 1 }, 'body', 'INVALID_INPUT'],
    ['an item that is not an object', [{ t: 1, v: 1 }, 5], 'body[1]', 'INVALID_INPUT'],
    ['an unknown key', [{ t: 1, v: 1, x: 2 }], 'body[0].x', 'INVALID_INPUT'],
    ['a non-numeric value', [{ t: 1, v: 1 }, { t: 2, v: 'lots' }], 'body[1].v', 'INVALID_INPUT'],
    ['a missing value', [{ t: 1 }], 'body[0].v', 'INVALID_INPUT'],
    ['a null value', [{ t: 1, v: null }], 'body[0].v', 'INVALID_INPUT'],
    ['a boolean value', [{ t: 1, v: true }], 'body[0].v', 'INVALID_INPUT'],
    ['an infinite value given as a string', [{ t: 1, v: 'Infinity' }], 'body[0].v', 'INVALID_INPUT'],
    ['a NaN value given as a string', [{ t: 1, v: 'NaN' }], 'body[0].v', 'INVALID_INPUT'],
    ['an unparseable timestamp', [{ t: 1, v: 1 }, { t: 'noon', v: 1 }], 'body[1].t', 'INVALID_INPUT'],
    ['a batch over the limit', [{ t: 1, v: 1 }, { t: 2, v: 2 }, { t: 3, v: 3 }], 'body', 'PAYLOAD_TOO_LARGE'],
  ])('rejects %s, naming the index', (_label, body, field, code) => {
    const err = thrown(() => parseJsonSamples(body, 2));

    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
  });

  it('rejects non-finite numbers', () => {
    expect(thrown(() => parseJsonSamples([{ t: 1, v: Number.POSITIVE_INFINITY }], 10)).field).toBe('body[0].v');
  });
});

describe('CSV sample batches', () => {
  it.each<[string, string]>([
    ['with a header', 'timestamp,value\n2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,2\n'],
    ['without a header', '2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,2'],
    ['with CRLF, quotes, comments and blank lines', '# exported\r\n"timestamp","value"\r\n\r\n"2026-11-26T10:00:00Z","1"\r\n2026-11-26T10:01:00Z, 2\r\n'],
    ['with unix seconds', `${T0 / 1000},1\n${T0 / 1000 + 60},2\n`],
  ])('parses timestamp,value lines %s', (_label, text) => {
    expect(parseCsvSamples(text)).toEqual([
      { t: T0, v: 1 },
      { t: T0 + 60_000, v: 2 },
    ]);
  });

  it('skips empty values (a missing sample in the shared traces)', () => {
    const samples = parseCsvSamples('timestamp,value\n2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,\n2026-11-26T10:02:00Z,3\n');

    expect(samples.map((s) => s.v)).toEqual([1, 3]);
  });

  it.each<[string, string, string]>([
    ['a non-numeric value', 'timestamp,value\n2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,abc\n', 'line 3 value'],
    ['an infinite value', '2026-11-26T10:00:00Z,Infinity\n', 'line 1 value'],
    ['a NaN value', '2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,NaN\n', 'line 2 value'],
    ['a hexadecimal value', '2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,0x10\n', 'line 2 value'],
    ['an unparseable timestamp', '2026-11-26T10:00:00Z,1\nsoon,2\n', 'line 2 timestamp'],
    ['too many columns', '2026-11-26T10:00:00Z,1,2\n', 'line 1'],
    ['a single column', '2026-11-26T10:00:00Z\n', 'line 1'],
  ])('rejects %s, naming the line', (_label, text, field) => {
    const err = thrown(() => parseCsvSamples(text));

    expect(err.code).toBe('INVALID_INPUT');
    expect(err.field).toBe(field);
  });

  it('rejects a header that is not on the first line', () => {
    expect(thrown(() => parseCsvSamples('2026-11-26T10:00:00Z,1\ntimestamp,value\n')).field).toBe('line 2 timestamp');
  });

  it('rejects more samples than the limit with PAYLOAD_TOO_LARGE', () => {
    const text = Array.from({ length: 4 }, (_, i) => `${T0 / 1000 + i},${i}`).join('\n');

    expect(thrown(() => parseCsvSamples(text, 3)).code).toBe('PAYLOAD_TOO_LARGE');
    expect(parseCsvSamples(text, 4)).toHaveLength(4);
  });
});
