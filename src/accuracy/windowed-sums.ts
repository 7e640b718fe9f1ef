import type { AccuracyWindow } from '../config/trust-gate-schema';
import { type IssuedPoint, type ScoreSums, addPointAt, emptySums, sumsWidth } from './score-sums';

/** How each fixed window is bucketed: `slots` buckets of `slotSeconds`, by target time. */
export const WINDOW_SLOTS: Readonly<Record<AccuracyWindow, { slotSeconds: number; slots: number }>> = {
  '1h': { slotSeconds: 300, slots: 12 },
  '24h': { slotSeconds: 3600, slots: 24 },
  '7d': { slotSeconds: 6 * 3600, slots: 28 },
};

/** The persisted form of one ring: per slot, its epoch (slot index since 1970, −1 when never used) and its sums (null when never used). */
export interface RingState {
  epochs: number[];
  sums: (ScoreSums | null)[];
}

/**
 * A rolling window as a ring of time buckets (a streaming aggregate: memory is fixed however
 * many points are scored). A point lands in the slot of its target time; a slot that comes
 * round again is cleared first. The window at `now` is the slot holding `now` and the
 * `slots − 1` before it, so "24 h" spans between 23 and 24 hours of targets.
 *
 * The sums of all slots live in one flat array (`sumsWidth` numbers per slot), made on the
 * first point: nine rings per series at ten thousand series are 90,000 rings, and a ring of
 * sums objects cost 6 KB even empty. The sums are 32-bit floats (7 KB of the 14 KB a series'
 * rings took in 64-bit ones): a slot sums at most a few thousand scaled errors, counts stay
 * exact to 2^24, and a score read from them needs two or three digits, not fifteen.
 */
export class WindowedSums {
  private readonly epochs: Float64Array;
  private data: Float32Array | null = null;
  private readonly slotMs: number;
  private readonly width: number;

  constructor(
    private readonly window: AccuracyWindow,
    private readonly quantileCount: number,
    state?: RingState,
  ) {
    const { slotSeconds, slots } = WINDOW_SLOTS[window];
    this.slotMs = slotSeconds * 1000;
    this.width = sumsWidth(quantileCount);
    this.epochs = new Float64Array(slots).fill(-1);
    const fits = state && state.epochs.length === slots && state.sums.length === slots && state.sums.every((s) => s === null || s.below.length === quantileCount);
    if (fits && state.epochs.some((e) => e >= 0)) {
      const data = this.buffer();
      state.sums.forEach((s, i) => {
        if (s === null) return;
        this.epochs[i] = state.epochs[i] as number;
        writeSums(data, i * this.width, s);
      });
    }
  }

  /**
   * Adds the score of `point` against actual `y` to the slot of its target `tMs` (cleared first
   * when it last held an older period). Returns false when the target is too old for the ring.
   */
  add(tMs: number, levels: readonly number[], point: IssuedPoint, y: number): boolean {
    const epoch = Math.floor(tMs / this.slotMs);
    const i = epoch % this.epochs.length;
    const held = this.epochs[i] as number;
    if (held > epoch) return false;
    const data = this.buffer();
    if (held !== epoch) {
      this.epochs[i] = epoch;
      data.fill(0, i * this.width, (i + 1) * this.width);
    }
    addPointAt(data, i * this.width, levels, point, y);
    return true;
  }

  /** The sums of every point whose target lies in the window ending at `nowMs`. */
  total(nowMs: number): ScoreSums {
    const out = emptySums(this.quantileCount);
    if (!this.data) return out;
    const newest = Math.floor(nowMs / this.slotMs);
    const oldest = newest - this.epochs.length + 1;
    for (let i = 0; i < this.epochs.length; i++) {
      const e = this.epochs[i] as number;
      if (e >= oldest && e <= newest) addSlot(out, this.data, i * this.width);
    }
    return out;
  }

  /**
   * The persisted form; null while nothing was scored. Slots never used are null: a save at ten
   * thousand series was mostly empty sums objects.
   */
  toState(): RingState | null {
    const data = this.data;
    if (!data) return null;
    const sums = Array.from(this.epochs, (e, i) => {
      if (e < 0) return null;
      const s = emptySums(this.quantileCount);
      addSlot(s, data, i * this.width);
      return s;
    });
    return { epochs: Array.from(this.epochs), sums };
  }

  get name(): AccuracyWindow {
    return this.window;
  }

  private buffer(): Float32Array {
    this.data ??= new Float32Array(this.epochs.length * this.width);
    return this.data;
  }
}

/** `into += the slot at `at``: the flat layout of `addPointAt` (count, |e|, naive |e|, pinball…, below…). */
function addSlot(into: ScoreSums, data: Float32Array, at: number): void {
  const q = into.below.length;
  into.count += data[at] as number;
  into.absScaled += data[at + 1] as number;
  into.naiveAbsScaled += data[at + 2] as number;
  for (let k = 0; k < q; k++) {
    into.pinballScaled[k] = (into.pinballScaled[k] as number) + (data[at + 3 + k] as number);
    into.below[k] = (into.below[k] as number) + (data[at + 3 + q + k] as number);
  }
}

function writeSums(data: Float32Array, at: number, s: ScoreSums): void {
  const q = s.below.length;
  data[at] = s.count;
  data[at + 1] = s.absScaled;
  data[at + 2] = s.naiveAbsScaled;
  for (let k = 0; k < q; k++) {
    data[at + 3 + k] = s.pinballScaled[k] as number;
    data[at + 3 + q + k] = s.below[k] as number;
  }
}
