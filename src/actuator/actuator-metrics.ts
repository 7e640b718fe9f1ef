import { Counter, Gauge, type Registry } from 'prom-client';

/** Actuator metrics; labels are bounded (kind, mode, result, pool from the config). */
export interface ActuatorMetrics {
  changes: Counter<'pool' | 'kind' | 'mode' | 'result'>;
  conflicts: Counter<'kind'>;
  leader: Gauge;
}

export function createActuatorMetrics(registry: Registry): ActuatorMetrics {
  return {
    changes: new Counter({
      name: 'prescale_actuator_changes_total',
      help: 'Changes the actuator made (result=applied), would have made (dry-run) or failed to make.',
      labelNames: ['pool', 'kind', 'mode', 'result'],
      registers: [registry],
    }),
    conflicts: new Counter({
      name: 'prescale_actuator_conflicts_total',
      help: 'Writes answered 409 Conflict; the actuator re-read the object and applied again.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    leader: new Gauge({
      name: 'prescale_actuator_leader',
      help: '1 while this instance holds the actuator Lease.',
      registers: [registry],
    }),
  };
}
