import { WindowedSums } from '../../../src/accuracy/windowed-sums';

const H = 3_600_000;
const point = { mean: 1, quantiles: [1], naive: 1, scale: 1 };

describe('WindowedSums', () => {
  it('a 24h window counts the targets of the current hour and the 23 before it, and forgets older ones', () => {
    const ring = new WindowedSums('24h', 1);
    const t0 = Date.UTC(2026, 0, 1, 0, 0);
    for (let h = 0; h < 30; h++) expect(ring.add(t0 + h * H + 60_000, [0.5], point, 2)).toBe(true);
    // At hour 29:30, hours 6..29 are in the window.
    expect(ring.total(t0 + 29 * H + 30 * 60_000).count).toBe(24);
    // An hour later hour 6 drops out, and nothing new came in.
    expect(ring.total(t0 + 30 * H + 30 * 60_000).count).toBe(23);
  });

  it('a slot that comes round again starts from zero, and a target older than the ring is refused', () => {
    const ring = new WindowedSums('1h', 1);
    const t0 = Date.UTC(2026, 0, 1, 0, 0);
    ring.add(t0, [0.5], point, 3);
    ring.add(t0 + H, [0.5], point, 5);
    expect(ring.total(t0 + H).count).toBe(1);
    expect(ring.total(t0 + H).absScaled).toBe(4);
    expect(ring.add(t0, [0.5], point, 3)).toBe(false);
    expect(ring.total(t0 + H).count).toBe(1);
  });

  it('round-trips through its persisted state', () => {
    const ring = new WindowedSums('7d', 2);
    const t = Date.UTC(2026, 0, 3);
    ring.add(t, [0.5, 0.9], { mean: 1, quantiles: [1, 2], naive: 0, scale: 1 }, 2);
    const copy = new WindowedSums('7d', 2, JSON.parse(JSON.stringify(ring.toState())));
    expect(copy.total(t)).toEqual(ring.total(t));
    // A state for other quantiles is not reused.
    expect(new WindowedSums('7d', 3, ring.toState() ?? undefined).total(t).count).toBe(0);
  });

  it('persists nothing while empty and null for slots never used, and still reads the full form saved before', () => {
    const ring = new WindowedSums('24h', 1);
    expect(ring.toState()).toBeNull();
    const t = Date.UTC(2026, 0, 3, 5, 10);
    ring.add(t, [0.5], point, 4);
    const state = ring.toState()!;
    expect(state.sums.filter((s) => s !== null)).toHaveLength(1);
    expect(state.epochs.filter((e) => e >= 0)).toEqual([Math.floor(t / H)]);
    // The form written before: every slot with an epoch (−1 when unused) and sums (zeros when unused).
    const full = { epochs: state.epochs, sums: state.sums.map((s) => s ?? { count: 0, absScaled: 0, naiveAbsScaled: 0, pinballScaled: [0], below: [0] }) };
    expect(new WindowedSums('24h', 1, full).total(t)).toEqual(ring.total(t));
    expect(new WindowedSums('24h', 1, state).total(t)).toEqual(ring.total(t));
  });
});
