import { Registry } from 'prom-client';
import { registerPlanGauges } from '../../../src/planner/plan-gauges';
import type { PlanSet } from '../../../src/planner/plan-service';

function planWith(term: string, replicas: number): PlanSet {
  const step = { t: 0, replicas, reason: { term, detail: '', values: {} } };
  return { generatedAtMs: 0, stepSeconds: 60, horizonSeconds: 3600, pools: [{ pool: 'generate', forecast: {} as never, steps: [step as never] }] };
}

describe('plan gauges', () => {
  it('export the current step\'s replicas and which quota cut the plan', async () => {
    const registry = new Registry();
    registerPlanGauges(registry, () => planWith('quota:maxGpus', 7));

    const text = await registry.metrics();

    expect(text).toContain('prescale_plan_replicas{pool="generate"} 7');
    expect(text).toContain('prescale_plan_quota_bound{pool="generate",quota="maxGpus"} 1');
    expect(text).toContain('prescale_plan_quota_bound{pool="generate",quota="maxReplicas"} 0');
  });

  it('are empty, not an error, while there is no plan yet', async () => {
    const registry = new Registry();
    registerPlanGauges(registry, () => {
      throw new Error('no forecast yet');
    });

    const text = await registry.metrics();

    expect(text).not.toContain('prescale_plan_replicas{');
    expect(text).toContain('# TYPE prescale_plan_replicas gauge');
  });
});
