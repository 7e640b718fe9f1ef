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
    const scheduler = new RefreshScheduler(r.refresh, 200);

    for (let i = 0; i < 5; i++) {
      scheduler.request('a');
      await sleep(10);
    }
    expect(r.calls).toEqual([]);
    await sleep(400);

    expect(r.calls).toEqual(['a']);
    await scheduler.close();
  });

  it('serialises refreshes of one key: a request during a run leads to exactly one more run, never two at once', async () => {
    const r = recorder(60);
    const scheduler = new RefreshScheduler(r.refresh, 0);

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
    const scheduler = new RefreshScheduler(r.refresh, 0);

    await Promise.all([scheduler.runNow('a'), scheduler.runNow('b')]);

    expect(r.calls.sort()).toEqual(['a', 'b']);
    expect(r.maxActive()).toBe(2);
    await scheduler.close();
  });

  it('cancels pending refreshes on close, waits for the running one, and ignores later requests', async () => {
    const r = recorder(40);
    const scheduler = new RefreshScheduler(r.refresh, 30);

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
    }, 0);

    await expect(scheduler.runNow('a')).rejects.toThrow('fit failed');
    await scheduler.runNow('a');

    expect(calls).toEqual(['a', 'a']);
    await scheduler.close();
  });
});
