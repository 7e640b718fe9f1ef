import { MAX_POINTS_PER_QUERY, queryRangeChunks } from '../../../src/sources/query-range-chunks';

describe('queryRangeChunks', () => {
  const stepMs = 60_000;
  it.each([
    ['one step', 0, 0, 1],
    ['exactly the limit', 0, (MAX_POINTS_PER_QUERY - 1) * stepMs, 1],
    ['one past the limit', 0, MAX_POINTS_PER_QUERY * stepMs, 2],
    ['14 days at 1 minute', 0, 14 * 1440 * stepMs, 3],
  ])('%s: covers every step once, each chunk under 11,000 points', (_name, fromMs, toMs, chunks) => {
    const out = queryRangeChunks({ fromMs, toMs, stepSeconds: 60 });
    expect(out).toHaveLength(chunks);
    const steps = out.flatMap((c) => Array.from({ length: (c.toMs - c.fromMs) / stepMs + 1 }, (_, i) => c.fromMs + i * stepMs));
    expect(steps).toEqual(Array.from({ length: (toMs - fromMs) / stepMs + 1 }, (_, i) => fromMs + i * stepMs));
    for (const c of out) expect((c.toMs - c.fromMs) / stepMs + 1).toBeLessThan(11_000);
  });

  it('returns nothing for an empty range', () => {
    expect(queryRangeChunks({ fromMs: 120_000, toMs: 60_000, stepSeconds: 60 })).toEqual([]);
  });
});
