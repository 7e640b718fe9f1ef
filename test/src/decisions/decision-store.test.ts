import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionIds, decisionIdTimeMs, isDecisionId } from '../../../src/decisions/decision-id';
import type { DecisionRecord } from '../../../src/decisions/decision-record';
import { SqliteDecisionStore } from '../../../src/decisions/sqlite-decision-store';

const T0 = Date.parse('2026-12-01T09:00:00Z');

function record(id: string, pool: string, timeMs: number, outcome: DecisionRecord['outcome'] = 'advisory'): DecisionRecord {
  return {
    id,
    time: new Date(timeMs).toISOString(),
    pool,
    mode: 'advisory',
    target: { kind: 'Deployment', namespace: 'prod', name: 'balloon', field: 'spec.replicas' },
    stepTime: new Date(timeMs).toISOString(),
    from: 1,
    to: 2,
    outcome,
    who: 'prescale-0',
    inputs: {
      series: 's',
      model: null,
      forecastAt: null,
      quantile: 0.9,
      quantileReason: 'configured',
      leadTimeSeconds: 60,
      observedDemand: null,
      observedAt: null,
      forecastReplicas: null,
      stale: true,
      quotas: { maxGpus: null, maxCostPerHour: null, maxStepUp: null, resourceQuotaGpus: null, plannedGpus: 2, plannedCostPerHour: 0 },
      boundBy: { term: 'min', detail: 'minReplicas 2', values: { minReplicas: 2 } },
    },
  };
}

describe('decision ids', () => {
  it('are 26 Crockford base-32 characters that sort in time order, also within one millisecond', () => {
    const ids = new DecisionIds();
    const made = [ids.next(T0), ids.next(T0), ids.next(T0), ids.next(T0 + 1), ids.next(T0 + 60_000)];
    expect(made.every(isDecisionId)).toBe(true);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(made.length);
    expect(made.map(decisionIdTimeMs)).toEqual([T0, T0, T0, T0 + 1, T0 + 60_000]);
  });
});

describe('SqliteDecisionStore', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'prescale-decisions-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('pages newest first with continue, filters by pool, since and outcome, and keeps everything across a reopen', () => {
    const file = join(dir, 'decisions.sqlite');
    const ids = new DecisionIds();
    const written: DecisionRecord[] = [];
    let store = new SqliteDecisionStore(file);
    for (let i = 0; i < 7; i++) {
      const r = record(ids.next(T0 + i * 60_000), i % 2 === 0 ? 'a' : 'b', T0 + i * 60_000, i === 3 ? 'failed' : 'advisory');
      store.append(r);
      written.push(r);
    }
    store.close();
    store = new SqliteDecisionStore(file);
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = store.list({ limit: 3, continue: cont });
      seen.push(...page.items.map((d) => d.id));
      cont = page.continue;
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(seen).toEqual(written.map((r) => r.id).reverse());
    expect(store.list({ limit: 10, pool: 'b' }).items.map((d) => d.pool)).toEqual(['b', 'b', 'b']);
    expect(store.list({ limit: 10, sinceMs: T0 + 5 * 60_000 }).items).toHaveLength(2);
    expect(store.list({ limit: 10, outcome: 'failed' }).items.map((d) => d.id)).toEqual([written[3]!.id]);
    expect(store.latestAt('a', T0 + 5 * 60_000)?.id).toBe(written[4]!.id);
    expect(store.latestAt('a', T0 - 1)).toBeNull();
    store.appendSample({ pool: 'a', t: T0, planned: 3, actual: null, withPrescale: 3, demand: 12.5 });
    store.close();
    store = new SqliteDecisionStore(file);
    expect(store.samples('a', T0, T0)).toEqual([{ pool: 'a', t: T0, planned: 3, actual: null, withPrescale: 3, demand: 12.5 }]);
    store.close();
  });
});
