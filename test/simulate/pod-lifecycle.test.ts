import { PodSet } from '../../simulate/pod-lifecycle';

describe('PodSet', () => {
  it('counts a new pod as Ready only once its cold start has passed', () => {
    const pods = new PodSet(180_000, 2);
    pods.scaleTo(5, 1_000_000);
    expect(pods.total).toBe(5);
    expect(pods.readyAt(1_000_000)).toBe(2);
    expect(pods.readyAt(1_179_999)).toBe(2);
    expect(pods.readyAt(1_180_000)).toBe(5);
  });

  it('deletes the newest pods first, so Ready pods survive a scale-down of starting ones', () => {
    const pods = new PodSet(180_000, 3);
    pods.scaleTo(6, 0);
    pods.scaleTo(4, 60_000);
    expect(pods.total).toBe(4);
    expect(pods.readyAt(60_000)).toBe(3);
    expect(pods.readyAt(180_000)).toBe(4);
  });
});
