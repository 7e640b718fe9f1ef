import { HORIZON_BUCKETS } from './horizon-buckets';
import type { IssuedPoint } from './score-sums';

/** A remembered forecast for one target and bucket, with its lead (ms). */
export interface PendingPoint extends IssuedPoint {
  leadMs: number;
}

// Slot layout: target time (NaN when empty), lead, mean, seasonal-naive, scale, then one number per quantile.
const T = 0;
const LEAD = 1;
const MEAN = 2;
const NAIVE = 3;
const SCALE = 4;
const QUANTILES = 5;

/**
 * The forecasts of one series waiting for their actuals: per horizon bucket one point per
 * target, in a ring of slots indexed by the target's step. A bucket's targets all lie within
 * the longest lead seen of the newest step (older ones are scored before new ones are
 * remembered), so a ring of that many steps never holds two targets in one slot. Plain numbers in one
 * array per bucket, made on the bucket's first point: at ten thousand 1-minute series the
 * objects of before (a point, its quantile array and the map entries) were a quarter of a
 * gigabyte of heap, and sixty new objects per refresh for the collector.
 */
export class PendingPoints {
  private readonly rings: (Float64Array | null)[] = HORIZON_BUCKETS.map(() => null);
  private readonly stepMs: number;
  private readonly width: number;

  constructor(
    stepSeconds: number,
    private readonly quantileCount: number,
  ) {
    this.stepMs = stepSeconds * 1000;
    this.width = QUANTILES + quantileCount;
  }

  /** The point remembered for `tMs` in bucket `b`, or null. */
  get(tMs: number, b: number): PendingPoint | null {
    const at = this.slotOf(tMs, b);
    return at === -1 ? null : this.pointAt(this.rings[b] as Float64Array, at);
  }

  /** The lead (ms) of the point remembered for `tMs` in bucket `b`, or null: the hot path of `remember`, without making a point. */
  leadOf(tMs: number, b: number): number | null {
    const at = this.slotOf(tMs, b);
    return at === -1 ? null : ((this.rings[b] as Float64Array)[at + LEAD] as number);
  }

  /** Remembers a point for `tMs` in bucket `b` (its quantile forecasts from `quantile(k)`), replacing what that target's slot held. */
  set(tMs: number, b: number, point: Omit<PendingPoint, 'quantiles'>, quantile: (k: number) => number): void {
    const ring = this.ring(b, point.leadMs);
    const at = this.indexOf(tMs, ring);
    ring[at + T] = tMs;
    ring[at + LEAD] = point.leadMs;
    ring[at + MEAN] = point.mean;
    ring[at + NAIVE] = point.naive;
    ring[at + SCALE] = point.scale;
    for (let k = 0; k < this.quantileCount; k++) ring[at + QUANTILES + k] = quantile(k);
  }

  /** Makes room in every bucket that a point `leadMs` ahead falls in or beyond: a forecast's longest lead, before its points are set, so a ring grows once. */
  reserve(leadMs: number): void {
    HORIZON_BUCKETS.forEach((bucket, b) => {
      if (leadMs > bucket.fromSeconds * 1000) this.ring(b, Math.min(leadMs, bucket.toSeconds * 1000));
    });
  }

  /**
   * Removes and returns every target before `beforeMs`, oldest first, with its points per
   * bucket (null where a bucket has none).
   */
  takeBefore(beforeMs: number): [number, (PendingPoint | null)[]][] {
    const due = new Map<number, (PendingPoint | null)[]>();
    this.rings.forEach((ring, b) => {
      if (!ring) return;
      for (let at = 0; at < ring.length; at += this.width) {
        const t = ring[at + T] as number;
        if (!(t < beforeMs)) continue;
        let points = due.get(t);
        if (!points) due.set(t, (points = HORIZON_BUCKETS.map(() => null)));
        points[b] = this.pointAt(ring, at);
        ring[at + T] = Number.NaN;
      }
    });
    return [...due.entries()].sort((a, b) => a[0] - b[0]);
  }

  /**
   * Every remembered point as flat rows `[targetMs, bucket, leadMs, mean, naive, scale,
   * …quantiles]` (the persisted form: plain numbers stringify several times faster than point
   * objects, and a save at ten thousand series was mostly these).
   */
  rows(): number[] {
    const out: number[] = [];
    this.rings.forEach((ring, b) => {
      if (!ring) return;
      for (let at = 0; at < ring.length; at += this.width) {
        if (Number.isNaN(ring[at + T] as number)) continue;
        // JSON has no NaN: a point that cannot be written whole is not written (it would make the file unreadable).
        if (!ring.subarray(at, at + this.width).every(Number.isFinite)) continue;
        out.push(ring[at + T] as number, b);
        for (let k = LEAD; k < this.width; k++) out.push(ring[at + k] as number);
      }
    });
    return out;
  }

  /** Remembers the points of {@link rows}; rows of another width (other quantiles) or bucket are skipped. */
  loadRows(rows: readonly number[]): void {
    const width = this.width + 1;
    if (rows.length % width !== 0) return;
    for (let at = 0; at < rows.length; at += width) {
      const b = rows[at + 1] as number;
      if (!Number.isInteger(b) || b < 0 || b >= this.rings.length) continue;
      const point = { leadMs: rows[at + 2] as number, mean: rows[at + 3] as number, naive: rows[at + 4] as number, scale: rows[at + 5] as number };
      this.set(rows[at] as number, b, point, (k) => rows[at + 6 + k] as number);
    }
  }

  /** How many targets wait for their actual. */
  targets(): number {
    const seen = new Set<number>();
    for (const ring of this.rings) {
      if (!ring) continue;
      for (let at = 0; at < ring.length; at += this.width) if (!Number.isNaN(ring[at + T] as number)) seen.add(ring[at + T] as number);
    }
    return seen.size;
  }

  private slotOf(tMs: number, b: number): number {
    const ring = this.rings[b];
    if (!ring) return -1;
    const at = this.indexOf(tMs, ring);
    return ring[at + T] === tMs ? at : -1;
  }

  private indexOf(tMs: number, ring: Float64Array): number {
    const slots = ring.length / this.width;
    const step = Math.floor(tMs / this.stepMs);
    return (((step % slots) + slots) % slots) * this.width;
  }

  /**
   * The ring of bucket `b`, with room for a point `leadMs` ahead. It holds as many steps as the
   * longest lead it has seen (and one more for the newest step, which may still be filling),
   * not the bucket's longest: a 1-hour horizon reaches a little into the 1–6 h bucket, and 361
   * slots for it were 20 KB per series. Grown by at least a quarter, re-placing what it holds.
   */
  private ring(b: number, leadMs: number): Float64Array {
    const bucket = HORIZON_BUCKETS[b] as { toSeconds: number };
    const most = Math.ceil((bucket.toSeconds * 1000) / this.stepMs) + 1;
    const needed = Math.min(most, Math.ceil(Math.max(leadMs, this.stepMs) / this.stepMs) + 1);
    const ring = this.rings[b];
    const slots = ring ? ring.length / this.width : 0;
    if (ring && slots >= needed) return ring;
    const grown = new Float64Array(Math.min(most, Math.max(needed, Math.ceil(1.25 * slots))) * this.width).fill(Number.NaN);
    if (ring) {
      for (let at = 0; at < ring.length; at += this.width) {
        const t = ring[at + T] as number;
        if (!Number.isNaN(t)) grown.set(ring.subarray(at, at + this.width), this.indexOf(t, grown));
      }
    }
    this.rings[b] = grown;
    return grown;
  }

  private pointAt(ring: Float64Array, at: number): PendingPoint {
    return {
      leadMs: ring[at + LEAD] as number,
      mean: ring[at + MEAN] as number,
      naive: ring[at + NAIVE] as number,
      scale: ring[at + SCALE] as number,
      quantiles: Array.from(ring.subarray(at + QUANTILES, at + this.width)),
    };
  }
}
