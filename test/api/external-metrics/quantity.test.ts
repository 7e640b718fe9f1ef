import fc from 'fast-check';
import { formatQuantity, parseQuantity } from '../../../api/external-metrics/quantity';

/** apimachinery's grammar (`splitREString`), used to check every string we emit. */
const GRAMMAR = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
/** Canonical DecimalSI: integer mantissa, no trailing zeros beyond the suffix, suffix for 10^-9..10^18. */
const CANONICAL = /^-?(0|[1-9][0-9]*)(n|u|m|k|M|G|T|P|E|e-?[0-9]+)?$/;

describe('formatQuantity', () => {
  // Test vectors: apimachinery's canonical outputs (nano and milli precision).
  it.each([
    [0, '0', '0'],
    [0.25, '250m', '250m'],
    [0.5, '500m', '500m'],
    [1.5, '1500m', '1500m'],
    [1, '1', '1'],
    [10, '10', '10'],
    [42, '42', '42'],
    [100, '100', '100'],
    [1000, '1k', '1k'],
    [1500, '1500', '1500'],
    [2000, '2k', '2k'],
    [1234.5678, '1234567800u', '1234568m'],
    [12.3456, '12345600u', '12346m'],
    [0.0005, '500u', '1m'],
    [0.0001, '100u', '0'],
    [1e6, '1M', '1M'],
    [1e9, '1G', '1G'],
    [2.5e9, '2500M', '2500M'],
    [2_500_000, '2500k', '2500k'],
    [-3.2, '-3200m', '-3200m'],
    [0.1 + 0.2, '300m', '300m'],
    [1e-12, '0', '0'],
    [9.2e15, '9200T', '9200T'],
    [1e18, '1E', '1E'],
    [1e21, '1e21', '1e21'],
  ])('%p → %s (nano), %s (milli)', (input, nano, milli) => {
    expect(formatQuantity(input)).toBe(nano);
    expect(formatQuantity(input, { minExp: -3 })).toBe(milli);
    expect(nano).toMatch(GRAMMAR);
  });

  it.each([NaN, Infinity, -Infinity])('refuses %p: a Quantity cannot hold it', (v) => {
    expect(() => formatQuantity(v)).toThrow(RangeError);
  });

  it('round-trips values across magnitudes, always in canonical form and within the grammar', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -9, max: 15 }),
        fc.integer({ min: -999_999, max: 999_999 }),
        (exp, mantissa) => {
          const value = Number(`${mantissa}e${exp}`);
          const text = formatQuantity(value);
          expect(text).toMatch(GRAMMAR);
          expect(text).toMatch(CANONICAL);
          const back = parseQuantity(text);
          expect(back).not.toBeNull();
          expect(Math.abs((back as number) - value)).toBeLessThanOrEqual(Math.abs(value) * 1e-12 + 1e-9);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('keeps HPA-relevant precision: ceil(value × 1000) of the parsed text equals that of the input', () => {
    for (const v of [0.0004, 0.0015, 0.3333333, 12.3456789, 99.9999, 123456.789]) {
      expect(Math.ceil(parseQuantity(formatQuantity(v))! * 1000)).toBe(Math.ceil(v * 1000));
    }
  });
});

describe('parseQuantity', () => {
  it.each([
    ['1500m', 1.5],
    ['1.5', 1.5],
    ['1k', 1000],
    ['1Ki', 1024],
    ['10Mi', 10 * 1024 * 1024],
    ['1e3', 1000],
    ['1E', 1e18],
    ['+5', 5],
    ['-250m', -0.25],
    ['.5', 0.5],
    ['0.9n', 1e-9],
    ['3.001n', 4e-9],
    ['0.250', 0.25],
    ['1000m', 1],
  ])('%s → %p', (text, value) => {
    expect(parseQuantity(text)).toBeCloseTo(value, 12);
  });

  // Rejected strings from apimachinery's quantity_test.go, plus the inferred ones.
  it.each(['1.1.M', '1+1.0M', '0.1mi', '0.1am', 'aoeu', '.5i', '1i', '-3.01i', '-3.01e-', ' 1', '1 ', '', 'NaN', 'Infinity', '1,000', '1_000', '1K', '0x10'])(
    'rejects %p',
    (text) => {
      expect(parseQuantity(text)).toBeNull();
    },
  );
});
