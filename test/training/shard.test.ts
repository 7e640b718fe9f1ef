import { readdirSync } from 'node:fs';
import { seriesOfShard, shardOfSeries } from '../../training/shard';
import { TRACE_DIR } from '../helpers/trace-file';

// The names of the shipped traces (as a registry would name them), plus a generated fleet.
const traceNames = readdirSync(TRACE_DIR)
  .filter((f) => f.endsWith('.csv'))
  .map((f) => f.replace(/\.csv$/, '').replace(/_/g, '-'));
const fleet = Array.from({ length: 10_000 }, (_, i) => `gpu-pool-${String(i).padStart(5, '0')}-rps`);

function split(names: readonly string[], count: number): string[][] {
  return Array.from({ length: count }, (_, index) => seriesOfShard(names, { index, count }));
}

describe('training shards', () => {
  it.each([1, 2, 3, 7, 10, 16, 64])('with %i shards every trace series is trained by exactly one shard, including when shards outnumber series', (count) => {
    const shares = split(traceNames, count);

    expect(traceNames.length).toBeGreaterThanOrEqual(10);
    expect(shares.flat().sort()).toEqual([...traceNames].sort());
    expect(new Set(shares.flat()).size).toBe(traceNames.length);
    if (count > traceNames.length) expect(shares.filter((s) => s.length === 0).length).toBeGreaterThanOrEqual(count - traceNames.length);
  });

  it('splits ten thousand series evenly: every one of 20 shards holds within 15% of its fair share', () => {
    const shares = split(fleet, 20);

    expect(shares.flat()).toHaveLength(fleet.length);
    for (const share of shares) expect(Math.abs(share.length - 500)).toBeLessThan(75);
  });

  it('adding and removing series never moves another series to a different shard', () => {
    const before = new Map(fleet.slice(0, 2_000).map((n) => [n, shardOfSeries(n, 8)]));
    const grown = ['new-embedding-rps', ...fleet.slice(0, 2_000).filter((_, i) => i % 3 !== 0), 'new-generate-rps'];

    for (let index = 0; index < 8; index++) {
      for (const n of seriesOfShard(grown, { index, count: 8 })) if (before.has(n)) expect(before.get(n)).toBe(index);
    }
  });

  it('keeps the order the names were given in', () => {
    const share = seriesOfShard(fleet.slice(0, 300), { index: 1, count: 3 });

    expect(share).toEqual([...share].sort());
  });

  it.each([
    [{ index: 3, count: 3 }, /\[0, 3\)/],
    [{ index: -1, count: 3 }, /\[0, 3\)/],
    [{ index: 0, count: 0 }, /\[0, 0\)/],
    [{ index: 0.5, count: 2 }, /integer/],
  ])('refuses the shard %j', (shard, message) => {
    expect(() => seriesOfShard(traceNames, shard)).toThrow(message);
  });
});
