import { randomBytes } from 'node:crypto';

/** Crockford's base 32 (no I, L, O, U), as ULID uses: ids sort as text in time order. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-shaped decision ids (https://github.com/ulid/spec): 10 characters of epoch ms, then
 * 16 of randomness, 26 in all. Ids sort as plain strings in time order, so the decision store
 * pages by id alone, and within one millisecond the random part is incremented (the spec's
 * monotonic mode) so ids made in one round keep their order. `random` is injected for tests.
 */
export class DecisionIds {
  private lastMs = -1;
  private lastRandom: number[] = [];

  constructor(private readonly random: (bytes: number) => Uint8Array = (n) => randomBytes(n)) {}

  next(nowMs: number): string {
    if (nowMs <= this.lastMs) {
      increment(this.lastRandom);
    } else {
      this.lastMs = nowMs;
      this.lastRandom = [...this.random(16)].map((b) => b & 31);
    }
    return encodeTime(this.lastMs) + this.lastRandom.map((d) => ALPHABET[d]).join('');
  }
}

/** The epoch ms a decision id was made at. */
export function decisionIdTimeMs(id: string): number {
  let ms = 0;
  for (const c of id.slice(0, 10)) ms = ms * 32 + ALPHABET.indexOf(c);
  return ms;
}

/** True for a 26-character Crockford base-32 id (what `continue` and URLs may carry). */
export function isDecisionId(text: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(text);
}

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

/** Adds one to a base-32 digit array, least significant digit last. */
function increment(digits: number[]): void {
  for (let i = digits.length - 1; i >= 0; i--) {
    if ((digits[i] as number) < 31) {
      digits[i] = (digits[i] as number) + 1;
      return;
    }
    digits[i] = 0;
  }
}
