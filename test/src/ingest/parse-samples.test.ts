import { PrescaleError } from '../../../src/errors/prescale-error';
import { parseCsvSamples, parseJsonSamples } from '../../../src/ingest/parse-samples';

const T0 = Date.UTC(2026, 10, 26, 10);
/** The service clock at T0 with the default `server.maxFutureSkew` of 5 minutes. */
const future = { nowMs: T0, maxSkewSeconds: 300 };

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
      { maxSamples: 100 },
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
    const err = thrown(() => parseJsonSamples(body, { maxSamples: 2 }));

    expect(err.code).toBe(code);
    expect(err.field).toBe(field);
  });

  it('rejects non-finite numbers', () => {
    expect(thrown(() => parseJsonSamples([{ t: 1, v: Number.POSITIVE_INFINITY }], { maxSamples: 10 })).field).toBe('body[0].v');
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

    expect(thrown(() => parseCsvSamples(text, { maxSamples: 3 })).code).toBe('PAYLOAD_TOO_LARGE');
    expect(parseCsvSamples(text, { maxSamples: 4 })).toHaveLength(4);
  });
});

describe('batch rules', () => {
  it('refuses a JSON sample more than maxFutureSkew ahead of the service clock, naming it (year 5138 once wiped a series)', () => {
    const body = [
      { t: '2026-11-26T09:59:00Z', v: 1 },
      { t: '5138-11-16T09:46:39Z', v: 1 },
    ];

    const err = thrown(() => parseJsonSamples(body, { future }));

    expect(err).toMatchObject({ code: 'INVALID_INPUT', field: 'body[1].t' });
    expect(err.message).toMatch(/more than 5m ahead of the service clock \(server\.maxFutureSkew\)/);
  });

  it('accepts samples up to maxFutureSkew ahead (clocks drift) and refuses one a millisecond beyond', () => {
    expect(parseJsonSamples([{ t: (T0 + 300_000) / 1000, v: 1 }], { future })).toEqual([{ t: T0 + 300_000, v: 1 }]);
    expect(thrown(() => parseCsvSamples(`${T0 / 1000},1
${(T0 + 300_001) / 1000},2
`, { future })).field).toBe('line 2 timestamp');
  });

  it('keeps old history: there is no lower bound, only the store\'s retention', () => {
    expect(parseJsonSamples([{ t: '2014-04-10T00:04:00Z', v: 1 }], { future })).toEqual([{ t: Date.UTC(2014, 3, 10, 0, 4), v: 1 }]);
  });

  it.each<[string, () => unknown, string]>([
    ['JSON', () => parseJsonSamples([{ t: T0 / 1000, v: 1 }, { t: T0 / 1000 + 60, v: 2 }, { t: '2026-11-26T10:00:00Z', v: 3 }]), 'body[2].t'],
    ['CSV', () => parseCsvSamples('2026-11-26T10:00:00Z,1\n2026-11-26T10:01:00Z,2\n2026-11-26T10:00:00.000Z,3\n'), 'line 3 timestamp'],
  ])('refuses a %s batch that holds one timestamp twice, naming the second and the first', (_label, parse, field) => {
    const err = thrown(parse);

    expect(err).toMatchObject({ code: 'INVALID_INPUT', field });
    expect(err.message).toMatch(/is also at (body\[0\]\.t|line 1 timestamp)/);
  });
});
