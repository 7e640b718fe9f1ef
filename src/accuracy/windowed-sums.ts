import type { AccuracyWindow } from '../config/trust-gate-schema';
import { type ScoreSums, addSums, emptySums } from './score-sums';

/** How each fixed window is bucketed: `slots` buckets of `slotSeconds`, by target time. */
export const WINDOW_SLOTS: Readonly<Record<AccuracyWindow, { slotSeconds: number; slots: number }>> = {
  '1h': { slotSeconds: 300, slots: 12 },
  '24h': { slotSeconds: 3600, slots: 24 },
  '7d': { slotSeconds: 6 * 3600, slots: 28 },
};

/** The persisted form of one ring: per slot, its epoch (slot index since 1970) and its sums. */
export interface RingState {
  epochs: number[];
  sums: ScoreSums[];
}

/**
 * A rolling window as a ring of time buckets (a streaming aggregate: memory is fixed however
 * many points are scored). A point lands in the slot of its target time; a slot that comes
 * round again is cleared first. The window at `now` is the slot holding `now` and the
 * `slots − 1` before it, so "24 h" spans between 23 and 24 hours of targets.
 */
export class WindowedSums {
  private readonly epochs: number[];
  private readonly sums: ScoreSums[];
  private readonly slotMs: number;

  constructor(
    private readonly window: AccuracyWindow,
    private readonly quantileCount: number,
    state?: RingState,
  ) {
    const { slotSeconds, slots } = WINDOW_SLOTS[window];
    this.slotMs = slotSeconds * 1000;
    const fits = state && state.epochs.length === slots && state.sums.every((s) => s.below.length === quantileCount);
    this.epochs = fits ? [...state.epochs] : new Array<number>(slots).fill(-1);
    this.sums = fits ? state.sums.map(copySums) : Array.from({ length: slots }, () => emptySums(quantileCount));
  }

  /** The sums slot for a target at `tMs` (cleared when it last held an older period); null when the target is too old for the ring. */
  slotFor(tMs: number): ScoreSums | null {
    const epoch = Math.floor(tMs / this.slotMs);
    const i = epoch % this.epochs.length;
    const held = this.epochs[i] as number;
    if (held > epoch) return null;
    if (held !== epoch) {
      this.epochs[i] = epoch;
      this.sums[i] = emptySums(this.quantileCount);
    }
    return this.sums[i] as ScoreSums;
  }

  /** The sums of every point whose target lies in the window ending at `nowMs`. */
  total(nowMs: number): ScoreSums {
    const newest = Math.floor(nowMs / this.slotMs);
    const oldest = newest - this.epochs.length + 1;
    const out = emptySums(this.quantileCount);
    for (let i = 0; i < this.epochs.length; i++) {
      const e = this.epochs[i] as number;
      if (e >= oldest && e <= newest) addSums(out, this.sums[i] as ScoreSums);
    }
    return out;
  }

  toState(): RingState {
    return { epochs: [...this.epochs], sums: this.sums.map(copySums) };
  }

  get name(): AccuracyWindow {
    return this.window;
  }
}

function copySums(s: ScoreSums): ScoreSums {
  return { count: s.count, absScaled: s.absScaled, naiveAbsScaled: s.naiveAbsScaled, pinballScaled: [...s.pinballScaled], below: [...s.below] };
}
