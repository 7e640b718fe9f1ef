import { explainSentences, type ExplainFacts } from '../../../src/decisions/explanation';

const T = Date.parse('2026-12-01T09:50:00Z');
const quotas = { maxGpus: 30, maxCostPerHour: null, maxStepUp: null, resourceQuotaGpus: null, plannedGpus: 12, plannedCostPerHour: 0 };

function facts(reason: ExplainFacts['reason'], extra: Partial<ExplainFacts> = {}): ExplainFacts {
  return { pool: 'gpu-generate', stepMs: T, replicas: 9, previousReplicas: 6, reason, quantile: 0.9, leadTimeSeconds: 600, forecastReplicas: 6, quotas, ...extra };
}

describe('explanations in plain sentences', () => {
  it('says an event ahead is pre-warmed for its lead time, what the forecast alone asked and that the GPU quota did not bind', () => {
    const start = Date.parse('2026-12-01T10:00:00Z');
    const text = explainSentences(
      facts({ term: 'event', detail: 'event "launch" 2026-12-01T10:00:00Z–2026-12-01T12:00:00Z sets floor 9 (pre-warming 600s before it opens)', values: { floor: 9, windowStartMs: start, windowEndMs: start + 7_200_000 } }),
    );
    expect(text).toEqual([
      "At 09:50 UTC the pool gpu-generate goes to 9 replicas because the event `launch` starts at 10:00 UTC and the pool's lead time is 10m, so its floor of 9 is warmed up ahead.",
      'The forecast alone asked for 6.',
      'The GPU quota (30) was not binding: all pools plan 12 GPUs at this step.',
    ]);
  });

  it('names the quota that cut the value and does not call it non-binding', () => {
    const text = explainSentences(facts({ term: 'quota:maxGpus', detail: 'cut from 12 (forecast) to 9: total limit 30', values: { limit: 30, asked: 12 } }, { previousReplicas: 9 }));
    expect(text[0]).toBe('At 09:50 UTC the pool gpu-generate stays at 9 replicas because the GPU quota (30) cuts it from 12: cut from 12 (forecast) to 9: total limit 30.');
    expect(text.join(' ')).not.toMatch(/not binding/);
  });

  it('explains a reason term it does not know from the term and its detail line', () => {
    const [first] = explainSentences(facts({ term: 'newsvendor', detail: 'quantile 0.95 from cost ratio 19:1', values: {} }));
    expect(first).toBe('At 09:50 UTC the pool gpu-generate goes to 9 replicas because newsvendor: quantile 0.95 from cost ratio 19:1.');
  });
});
