import { PendingPoints } from '../../../src/accuracy/pending-points';

const MIN = 60_000;
const t0 = Date.UTC(2026, 0, 5, 12, 0);
const point = (leadMs: number, mean: number) => ({ leadMs, mean, naive: mean - 1, scale: 2 });

describe('PendingPoints', () => {
  it('keeps one point per target and bucket, with its quantiles, and hands back the due ones oldest first', () => {
    const pending = new PendingPoints(60, 2);
    for (let k = 1; k <= 15; k++) pending.set(t0 + k * MIN, 0, point(k * MIN, k), (q) => k + q + 0.5);
    pending.set(t0 + 20 * MIN, 1, point(20 * MIN, 20), () => 21);
    pending.set(t0 + 5 * MIN, 1, point(40 * MIN, 5.5), () => 6);

    expect(pending.targets()).toBe(16);
    expect(pending.get(t0 + 3 * MIN, 0)).toEqual({ leadMs: 3 * MIN, mean: 3, naive: 2, scale: 2, quantiles: [3.5, 4.5] });
    expect(pending.leadOf(t0 + 5 * MIN, 1)).toBe(40 * MIN);
    expect(pending.get(t0 + 5 * MIN, 2)).toBeNull();

    const due = pending.takeBefore(t0 + 6 * MIN);
    expect(due.map(([t]) => (t - t0) / MIN)).toEqual([1, 2, 3, 4, 5]);
    expect(due[4]![1].map((p) => p?.mean ?? null)).toEqual([5, 5.5, null]);
    expect(pending.targets()).toBe(11);
    expect(pending.get(t0 + 5 * MIN, 0)).toBeNull();
  });

  it('replaces the point of a target that is set again, and a slot reused by a later target forgets the old one', () => {
    const pending = new PendingPoints(60, 1);
    pending.set(t0 + MIN, 0, point(MIN, 1), () => 1);
    pending.set(t0 + MIN, 0, point(2 * MIN, 2), () => 2);
    expect(pending.get(t0 + MIN, 0)?.mean).toBe(2);
    // A 1-minute lead rings 2 steps, the 2-minute one grew it to 3: 3 minutes on, the slot belongs to another target.
    pending.set(t0 + 4 * MIN, 0, point(MIN, 3), () => 3);
    expect(pending.get(t0 + MIN, 0)).toBeNull();
    expect(pending.takeBefore(Number.POSITIVE_INFINITY).map(([t]) => (t - t0) / MIN)).toEqual([4]);
  });

  it('grows a ring to the longest lead it is given, keeping every point it held', () => {
    const pending = new PendingPoints(60, 1);
    for (let k = 1; k <= 3; k++) pending.set(t0 + k * MIN, 2, point(61 * MIN, k), () => k);
    // A longer lead than any before: the ring grows and re-places what it held.
    pending.set(t0 + 300 * MIN, 2, point(300 * MIN, 9), () => 9);
    expect(pending.targets()).toBe(4);
    expect([1, 2, 3, 300].map((k) => pending.get(t0 + k * MIN, 2)?.mean)).toEqual([1, 2, 3, 9]);
    // The rows keep only what is held: about 300 slots would be written for none of them.
    expect(pending.rows()).toHaveLength(4 * 7);
  });

  it('reserves room for a forecast\'s longest lead in the buckets it reaches, and only those', () => {
    const pending = new PendingPoints(60, 1);
    pending.reserve(66 * MIN);
    pending.set(t0 + 66 * MIN, 2, point(66 * MIN, 1), () => 1);
    pending.set(t0 + 61 * MIN, 2, point(61 * MIN, 2), () => 2);
    expect(pending.get(t0 + 66 * MIN, 2)?.mean).toBe(1);
    expect(pending.get(t0 + 61 * MIN, 2)?.mean).toBe(2);
    expect(pending.get(t0 + 61 * MIN, 0)).toBeNull();
  });

  it('has no target before the first point, and hourly series fit the same rings', () => {
    const hourly = new PendingPoints(3600, 1);
    expect(hourly.targets()).toBe(0);
    expect(hourly.takeBefore(Number.POSITIVE_INFINITY)).toEqual([]);
    for (let h = 1; h <= 6; h++) hourly.set(t0 + h * 3_600_000, 2, point(h * 3_600_000, h), () => h);
    expect(hourly.takeBefore(Number.POSITIVE_INFINITY).map(([, points]) => points[2]?.mean)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('round-trips through flat rows, leaving out a point that JSON could not hold', () => {
    const pending = new PendingPoints(60, 2);
    pending.set(t0 + MIN, 0, point(MIN, 1), (q) => 1 + q);
    pending.set(t0 + 20 * MIN, 1, point(20 * MIN, 2), (q) => 2 + q);
    pending.set(t0 + 2 * MIN, 0, { leadMs: 2 * MIN, mean: 3, naive: Number.NaN, scale: 1 }, () => 3);
    const rows = pending.rows();
    expect(rows).toHaveLength(2 * 8);

    const copy = new PendingPoints(60, 2);
    copy.loadRows(JSON.parse(JSON.stringify(rows)) as number[]);
    expect(copy.get(t0 + MIN, 0)).toEqual(pending.get(t0 + MIN, 0));
    expect(copy.get(t0 + 20 * MIN, 1)).toEqual(pending.get(t0 + 20 * MIN, 1));
    expect(copy.targets()).toBe(2);
    // Rows of another quantile count are not read as points.
    const other = new PendingPoints(60, 3);
    other.loadRows(rows);
    expect(other.targets()).toBe(0);
  });
});
