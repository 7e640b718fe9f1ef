import { RefreshScheduler } from '../../../src/forecast/refresh-scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A refresh that records when it ran and can be held open. */
function recorder(durationMs = 0) {
  const calls: string[] = [];
  let active = 0;
  let maxActive = 0;
  const refresh = async (key: string) => {
    calls.push(key);
    active++;
    maxActive = Math.max(maxActive, active);
    await sleep(durationMs);
    active--;
  };
  return { calls, refresh, maxActive: () => maxActive };
}

describe('refresh scheduler', () => {
  it('debounces a burst of requests into one refresh after the quiet time', async () => {
    const r = recorder();
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 200 });

    for (let i = 0; i < 5; i++) {
      scheduler.request('a');
      await sleep(10);
    }
    expect(r.calls).toEqual([]);
    await sleep(400);

    expect(r.calls).toEqual(['a']);
    await scheduler.close();
  });

  it('refreshes a key pushed more often than the debounce at least every maxWait (pushes every 50 ms, debounce 200 ms)', async () => {
    const r = recorder();
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 200, maxWaitMs: () => 400 });

    // 1.6 s of pushes that never leave 200 ms of quiet: without a maximum wait, no refresh at all.
    for (let i = 0; i < 32; i++) {
      scheduler.request('a');
      await sleep(50);
    }

    expect(r.calls.length).toBeGreaterThanOrEqual(2);
    await scheduler.close();
  });

  it('runs a request at once when its maximum wait has passed, however long the debounce (injected clock)', async () => {
    const r = recorder();
    let nowMs = 0;
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 60_000, maxWaitMs: (key) => (key === 'a' ? 1_000 : 5_000), now: () => nowMs });

    scheduler.request('a');
    scheduler.request('b');
    nowMs = 1_000;
    scheduler.request('a');
    scheduler.request('b');
    await sleep(50);

    expect(r.calls).toEqual(['a']);
    await scheduler.close();
  });

  it('serialises refreshes of one key: a request during a run leads to exactly one more run, never two at once', async () => {
    const r = recorder(60);
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 0 });

    const first = scheduler.runNow('a');
    await sleep(10);
    const second = scheduler.runNow('a');
    const third = scheduler.runNow('a');
    await Promise.all([first, second, third]);

    expect(r.calls).toEqual(['a', 'a']);
    expect(r.maxActive()).toBe(1);
    await scheduler.close();
  });

  it('runs different keys independently', async () => {
    const r = recorder(40);
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 0 });

    await Promise.all([scheduler.runNow('a'), scheduler.runNow('b')]);

    expect(r.calls.sort()).toEqual(['a', 'b']);
    expect(r.maxActive()).toBe(2);
    await scheduler.close();
  });

  it('cancels pending refreshes on close, waits for the running one, and ignores later requests', async () => {
    const r = recorder(40);
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 30 });

    const running = scheduler.runNow('a');
    scheduler.request('b');
    await scheduler.close();
    scheduler.request('c');
    await running;
    await sleep(60);

    expect(r.calls).toEqual(['a']);
  });

  it('keeps serving later refreshes after one fails', async () => {
    let fail = true;
    const calls: string[] = [];
    const scheduler = new RefreshScheduler(async (key) => {
      calls.push(key);
      if (fail) {
        fail = false;
        throw new Error('fit failed');
      }
    }, { debounceMs: 0 });

    await expect(scheduler.runNow('a')).rejects.toThrow('fit failed');
    await scheduler.runNow('a');

    expect(calls).toEqual(['a', 'a']);
    await scheduler.close();
  });

  it('runs at most `concurrency` refreshes at once, first come first served, and folds a request for a queued key into it', async () => {
    const r = recorder(30);
    const scheduler = new RefreshScheduler(r.refresh, { debounceMs: 0, concurrency: 2 });

    const runs = ['a', 'b', 'c', 'd', 'e'].map((k) => scheduler.runNow(k));
    scheduler.runNow('e'); // queued behind the others: no second refresh of it
    await Promise.all(runs);

    expect(r.calls).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(r.maxActive()).toBe(2);
    await scheduler.close();
  });
});
