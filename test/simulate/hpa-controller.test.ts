import { HpaController, defaultHpaSettings } from '../../simulate/hpa-controller';

const T0 = Date.UTC(2026, 0, 1);
const at = (seconds: number): number => T0 + seconds * 1000;

describe('HpaController (External metric, AverageValue, default behavior)', () => {
  it('proposes ceil(total / target): 100 against 50 gives 2, 500 against 200 gives 3, and takes the larger', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 10));
    expect(hpa.sync(at(0), 1, 1, [{ total: 100, averageValue: 50 }])).toBe(2);
    const both = new HpaController(defaultHpaSettings(1, 10));
    expect(both.sync(at(0), 1, 1, [{ total: 100, averageValue: 50 }, { total: 500, averageValue: 200 }])).toBe(3);
  });

  it('keeps the replicas while the usage ratio is within the 0.1 tolerance of status.replicas', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 20));
    // 10 pods at target 10: a load of 109 is a ratio of 1.09.
    expect(hpa.sync(at(0), 10, 10, [{ total: 109, averageValue: 10 }])).toBe(10);
    expect(hpa.sync(at(15), 10, 10, [{ total: 111, averageValue: 10 }])).toBe(12);
  });

  it('reads the tolerance per direction (behavior.scaleUp/scaleDown.tolerance, KEP-4951): scale-up 0 acts on 11 against 10, scale-down keeps 0.1', () => {
    const hpa = new HpaController({ ...defaultHpaSettings(1, 20), scaleUpTolerance: 0, scaleDownStabilizationSeconds: 0 });
    // A plan of 11 replicas against 10 running (AverageValue 1): ratio 1.1, inside the default 0.1.
    expect(new HpaController(defaultHpaSettings(1, 20)).sync(at(0), 10, 10, [{ total: 11, averageValue: 1 }])).toBe(10);
    expect(hpa.sync(at(0), 10, 10, [{ total: 11, averageValue: 1 }])).toBe(11);
    // 10 against 11 running is a ratio of 0.909, inside the scale-down tolerance still at 0.1.
    expect(hpa.sync(at(15), 11, 11, [{ total: 10, averageValue: 1 }])).toBe(11);
    expect(hpa.sync(at(30), 11, 11, [{ total: 9.8, averageValue: 1 }])).toBe(10);
  });

  it('counts unready pods in status.replicas for the tolerance test (kubernetes#123296)', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 20));
    // spec 5 but 10 pods exist: ratio 100 / (10 × 10) = 1.0 → stays at status.replicas.
    expect(hpa.sync(at(0), 5, 10, [{ total: 100, averageValue: 10 }])).toBe(10);
  });

  it('limits a scale-up to max(current + 4 pods, 2 × current) per 15 s', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 100));
    expect(hpa.sync(at(0), 1, 1, [{ total: 1000, averageValue: 10 }])).toBe(5);
    expect(hpa.sync(at(15), 5, 5, [{ total: 1000, averageValue: 10 }])).toBe(10);
    expect(hpa.sync(at(30), 10, 10, [{ total: 1000, averageValue: 10 }])).toBe(20);
  });

  it('holds the highest recommendation of the last 300 s before scaling down', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 20));
    expect(hpa.sync(at(0), 10, 10, [{ total: 100, averageValue: 10 }])).toBe(10);
    let spec = 10;
    for (let s = 15; s < 300; s += 15) {
      spec = hpa.sync(at(s), spec, spec, [{ total: 20, averageValue: 10 }]);
      expect(spec).toBe(10);
    }
    // The controller keeps recommendations strictly newer than now − 300 s.
    expect(hpa.sync(at(300), spec, spec, [{ total: 20, averageValue: 10 }])).toBe(2);
  });

  it('honours a Pods 1 / 60 s scale-up policy: 1→2 at once, 2→3 only after 60 s', () => {
    const hpa = new HpaController({ ...defaultHpaSettings(1, 10), scaleUpPolicies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] });
    expect(hpa.sync(at(0), 1, 1, [{ total: 100, averageValue: 10 }])).toBe(2);
    expect(hpa.sync(at(15), 2, 2, [{ total: 100, averageValue: 10 }])).toBe(2);
    expect(hpa.sync(at(45), 2, 2, [{ total: 100, averageValue: 10 }])).toBe(2);
    expect(hpa.sync(at(60), 2, 2, [{ total: 100, averageValue: 10 }])).toBe(3);
  });

  it('does not scale down when one of two metrics fails to fetch, but may scale up', () => {
    const hpa = new HpaController(defaultHpaSettings(1, 20));
    expect(hpa.sync(at(0), 10, 10, [{ total: 10, averageValue: 10 }, null])).toBe(10);
    expect(hpa.sync(at(15), 10, 10, [{ total: 150, averageValue: 10 }, null])).toBe(15);
    expect(hpa.sync(at(30), 15, 15, [null])).toBe(15);
  });

  it('clamps to minReplicas and maxReplicas', () => {
    const hpa = new HpaController(defaultHpaSettings(2, 6));
    expect(hpa.sync(at(0), 4, 4, [{ total: 1000, averageValue: 10 }])).toBe(6);
    expect(hpa.sync(at(0), 1, 1, [{ total: 1000, averageValue: 10 }])).toBe(2);
  });
});
