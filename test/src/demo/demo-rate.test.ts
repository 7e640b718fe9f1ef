import { demoRate, hash01 } from '../../../src/demo/demo-rate';

const MONDAY = Date.UTC(2026, 0, 5);
const HOUR = 3_600_000;

describe('demo rate', () => {
  it('is a pure function of time and seed', () => {
    const times = Array.from({ length: 500 }, (_, i) => MONDAY + i * 60_000);

    expect(times.map((t) => demoRate(t, 42))).toEqual(times.map((t) => demoRate(t, 42)));
    expect(times.map((t) => demoRate(t, 43))).not.toEqual(times.map((t) => demoRate(t, 42)));
  });

  it('is positive and finite over two weeks', () => {
    for (let t = MONDAY; t < MONDAY + 14 * 24 * HOUR; t += 60_000) {
      const v = demoRate(t, 42);
      if (!(Number.isFinite(v) && v > 0)) throw new Error(`demoRate(${new Date(t).toISOString()}) = ${v}`);
    }
  });

  it('has a daily rhythm (afternoon busier than night) and quieter weekends', () => {
    const meanOver = (startMs: number, hours: number) => {
      let sum = 0;
      let n = 0;
      for (let t = startMs; t < startMs + hours * HOUR; t += 60_000, n++) sum += demoRate(t, 42);
      return sum / n;
    };

    const night = meanOver(MONDAY + 2 * HOUR, 2);
    const afternoon = meanOver(MONDAY + 14 * HOUR, 2);
    const weekday = meanOver(MONDAY + 24 * HOUR, 24);
    const saturday = meanOver(MONDAY + 5 * 24 * HOUR, 24);

    expect(afternoon).toBeGreaterThan(2 * night);
    expect(saturday).toBeLessThan(0.75 * weekday);
  });

  it('hashes keys to [0, 1)', () => {
    for (let k = 0; k < 1000; k++) {
      const u = hash01(k, 7);
      expect(u >= 0 && u < 1).toBe(true);
    }
  });
});
