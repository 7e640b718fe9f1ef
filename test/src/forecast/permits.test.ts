import { Permits } from '../../../src/forecast/permits';

describe('Permits', () => {
  it('lets waiters in in the order they asked, and one that asks to go first ahead of them', async () => {
    const permits = new Permits(1);
    await permits.acquire();
    const order: string[] = [];
    const waiters = [permits.acquire().then(() => order.push('a')), permits.acquire().then(() => order.push('b'))];
    const urgent = permits.acquire(true).then(() => order.push('urgent'));
    expect(permits.waiting).toBe(3);
    for (let i = 0; i < 3; i++) {
      permits.release();
      await Promise.resolve();
    }
    await Promise.all([...waiters, urgent]);
    expect(order).toEqual(['urgent', 'a', 'b']);
  });

  it('tryAcquire never jumps a queue', async () => {
    const permits = new Permits(1);
    await permits.acquire();
    const waiting = permits.acquire();
    permits.release();
    expect(permits.tryAcquire()).toBe(false);
    await waiting;
    expect(permits.free).toBe(0);
  });
});
