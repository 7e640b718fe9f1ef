import { backoffDelayMs, withRetry } from '../../../src/retry/retry-with-backoff';

const transient = new Error('flaky');
const permanent = new Error('bad query');
const isRetryable = (err: unknown) => err === transient;

describe('backoffDelayMs', () => {
  it('backs off exponentially with full jitter, capped at the maximum', () => {
    const opts = { baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((r) => backoffDelayMs(r, opts, () => 0.5))).toEqual([50, 100, 200, 400, 500]);
    expect(backoffDelayMs(3, opts, () => 0)).toBe(0);
  });
});

describe('withRetry', () => {
  // Each case: how many tries are allowed, what the successive calls do, and what withRetry ends with.
  it.each<[string, number, (Error | 'ok')[], { result: 'ok' | Error; calls: number; sleptMs: number[] }]>([
    ['succeeds at once: no sleep', 5, ['ok'], { result: 'ok', calls: 1, sleptMs: [] }],
    ['retries transient failures until one succeeds', 5, [transient, transient, 'ok'], { result: 'ok', calls: 3, sleptMs: [5, 10] }],
    ['throws the last failure once the tries run out', 3, [transient, transient, transient, 'ok'], { result: transient, calls: 3, sleptMs: [5, 10] }],
    ['one try means no retry', 1, [transient, 'ok'], { result: transient, calls: 1, sleptMs: [] }],
    ['throws a non-retryable failure at once', 5, [permanent, 'ok'], { result: permanent, calls: 1, sleptMs: [] }],
    ['stops at a non-retryable failure after transient ones', 5, [transient, permanent, 'ok'], { result: permanent, calls: 2, sleptMs: [5] }],
    ['caps each delay at maxDelayMs', 6, [transient, transient, transient, transient, transient, 'ok'], { result: 'ok', calls: 6, sleptMs: [5, 10, 20, 20, 20] }],
  ])('%s', async (_name, attempts, script, expected) => {
    const sleptMs: number[] = [];
    const retries: [number, number][] = [];
    let calls = 0;
    const run = withRetry(
      async () => {
        const next = script[calls++]!;
        if (next !== 'ok') throw next;
        return 'ok' as const;
      },
      { attempts, baseDelayMs: 10, maxDelayMs: 40, isRetryable, sleep: async (ms) => void sleptMs.push(ms), random: () => 0.5, onRetry: (_err, n, ms) => void retries.push([n, ms]) },
    );
    if (expected.result === 'ok') await expect(run).resolves.toBe('ok');
    else await expect(run).rejects.toBe(expected.result);
    expect(calls).toBe(expected.calls);
    expect(sleptMs).toEqual(expected.sleptMs);
    expect(retries).toEqual(expected.sleptMs.map((ms, i) => [i + 1, ms]));
  });
});
