/**
 * Kubernetes `resource.Quantity` text, as apimachinery writes and reads it
 * (`k8s.io/apimachinery/pkg/api/resource/quantity.go`: `<sign><digits>[.<digits>]<suffix>`,
 * suffixes n u m "" k M G T P E and Ki Mi Gi Ti Pi Ei, or an `e`/`E` exponent).
 *
 * Formatting follows Go's canonical DecimalSI form: an integer mantissa, the exponent lowered
 * to a multiple of 3 and written as a suffix (`1500m`, `42`, `2500k`). Mantissa arithmetic is
 * BigInt so the text is exact; precision below the floor is rounded half-up.
 */

const SUFFIX_BY_EXP: ReadonlyMap<number, string> = new Map([
  [-9, 'n'], [-6, 'u'], [-3, 'm'], [0, ''], [3, 'k'], [6, 'M'], [9, 'G'], [12, 'T'], [15, 'P'], [18, 'E'],
]);
const DECIMAL_EXP_BY_SUFFIX: ReadonlyMap<string, number> = new Map([...SUFFIX_BY_EXP].map(([exp, s]) => [s, exp]));
const BINARY_POWER_BY_SUFFIX: ReadonlyMap<string, number> = new Map([['Ki', 10], ['Mi', 20], ['Gi', 30], ['Ti', 40], ['Pi', 50], ['Ei', 60]]);

/** apimachinery's `splitREString`: a signed number, then a suffix. */
const QUANTITY = /^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$/;
const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$/;

/** The largest magnitude the HPA can hold: it multiplies by 1000 into an int64 (§4.5). */
export const MAX_QUANTITY_MAGNITUDE = 9.2e15;

export interface FormatQuantityOptions {
  /** Power of ten of the finest digit kept: -9 (nano, default) or -3 (milli). */
  minExp?: -9 | -6 | -3 | 0;
}

/**
 * The canonical Quantity text of a finite number (`0.25` → `250m`, `2.5e9` → `2500M`).
 * @throws {RangeError} for NaN or ±Infinity (never emitted on the wire).
 */
export function formatQuantity(value: number, options: FormatQuantityOptions = {}): string {
  if (!Number.isFinite(value)) throw new RangeError(`a Quantity cannot hold ${value}`);
  const minExp = options.minExp ?? -9;
  if (value === 0) return '0';
  const negative = value < 0;
  // Shortest round-trip decimal digits: "d.ddde±x".
  const [digitsPart, expPart] = Math.abs(value).toExponential().split('e') as [string, string];
  const fraction = digitsPart.split('.')[1] ?? '';
  let mantissa = BigInt(digitsPart.replace('.', ''));
  let exp = Number(expPart) - fraction.length;
  if (exp < minExp) {
    const drop = BigInt(minExp - exp);
    const scale = 10n ** drop;
    mantissa = (mantissa + scale / 2n) / scale; // half-up on the magnitude
    exp = minExp;
    if (mantissa === 0n) return '0';
  }
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exp += 1;
  }
  const shift = ((exp % 3) + 3) % 3;
  mantissa *= 10n ** BigInt(shift);
  exp -= shift;
  const suffix = SUFFIX_BY_EXP.get(exp);
  const body = suffix === undefined ? `${mantissa}e${exp}` : `${mantissa}${suffix}`;
  return negative ? `-${body}` : body;
}

/**
 * The number a Quantity string stands for, or null when apimachinery's `ParseQuantity` would
 * reject it. Values finer than nano round up in magnitude, as apimachinery does (`0.9n` → 1n).
 */
export function parseQuantity(text: string): number | null {
  const match = QUANTITY.exec(text);
  if (!match) return null;
  const [, numberText, suffix] = match as unknown as [string, string, string];
  if (!NUMBER.test(numberText)) return null;
  let scale: { pow10: number } | { pow2: number };
  const decimal = DECIMAL_EXP_BY_SUFFIX.get(suffix);
  const binary = BINARY_POWER_BY_SUFFIX.get(suffix);
  if (decimal !== undefined) scale = { pow10: decimal };
  else if (binary !== undefined) scale = { pow2: binary };
  else {
    const e = /^[eE]([-+]?[0-9]+)$/.exec(suffix);
    if (!e) return null;
    scale = { pow10: Number(e[1]) };
  }
  const sign = numberText.startsWith('-') ? -1 : 1;
  const unsigned = numberText.replace(/^[+-]/, '');
  const [intPart = '', fracPart = ''] = unsigned.split('.');
  const digits = BigInt(`${intPart}${fracPart}` || '0');
  let exp = -fracPart.length;
  if ('pow2' in scale) {
    // Binary suffixes: exact BigInt product, then scale by the decimal fraction.
    return sign * Number(digits * 2n ** BigInt(scale.pow2)) * 10 ** exp;
  }
  exp += scale.pow10;
  if (exp < -9) {
    // Round up (away from zero) to nano, like apimachinery.
    const scaleDown = 10n ** BigInt(-9 - exp);
    const nanos = (digits + scaleDown - 1n) / scaleDown;
    return sign * Number(`${nanos}e-9`);
  }
  return sign * Number(`${digits}e${exp}`);
}
