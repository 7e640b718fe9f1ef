import { type PoolConfig, poolSchema } from '../config/planner-schema';

/** The pool `demo.replay` adds when no pool is on the demo series: sized so the demo's daily peak (~100 rps) needs about 10 replicas. */
export function demoPool(series: string): PoolConfig {
  return poolSchema.parse({ name: 'demo-pool', series, capacityPerReplica: 10, headroom: 0.1, leadTime: '5m', minReplicas: 1, maxReplicas: 40, gpusPerReplica: 1, costPerReplicaHour: 2.5 });
}

/** `prescale serve --demo-replay 1d`: the read config with the demo on and `demo.replay` set (the flag wins over the file). */
export function withDemoReplay(raw: unknown, replay: string): unknown {
  const base = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  const demo = base['demo'] !== null && typeof base['demo'] === 'object' ? (base['demo'] as Record<string, unknown>) : {};
  return { ...base, demo: { ...demo, enabled: true, replay } };
}
