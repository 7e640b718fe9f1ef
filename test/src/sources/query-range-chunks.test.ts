import { MAX_POINTS_PER_QUERY, queryRangeChunks } from '../../../src/sources/query-range-chunks';
import { backoffDelayMs, withRetry } from '../../../src/sources/retry';

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

describe('withRetry', () => {
  it('backs off exponentially with full jitter, capped', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((a) => backoffDelayMs(a, opts, () => 0.5))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0);
  });

  it('retries retryable failures until one succeeds', async () => {
    const slept: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls += 1;
        if (calls < 3) throw new Error('flaky');
        return 'ok';
      },
      { retries: 5, baseDelayMs: 10, maxDelayMs: 100, isRetryable: () => true, sleep: async (ms) => void slept.push(ms), random: () => 0.5 },
    );
    expect(result).toBe('ok');
    expect(slept).toEqual([5, 10]);
  });

  it('throws a non-retryable failure at once', async () => {
    let calls = 0;
    const run = withRetry(
      async () => {
        calls += 1;
        throw new Error('bad query');
      },
      { retries: 5, baseDelayMs: 1, maxDelayMs: 1, isRetryable: () => false, sleep: async () => undefined },
    );
    await expect(run).rejects.toThrow('bad query');
    expect(calls).toBe(1);
  });
});
