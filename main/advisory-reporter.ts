import { advisoryReport } from '../simulate/advisory-measures';
import type { AdvisoryReporter } from '../src/advisory/advisory-report';
import type { Config } from '../src/config/schema';
import type { DecisionStore } from '../src/decisions/decision-store';
import { PrescaleError } from '../src/errors/prescale-error';

/**
 * The advisory report over the stored samples, measured with the simulator's accumulator
 * (`simulate/advisory-measures.ts`): wired here because only the composition root may join
 * the store (src/) and the simulator's measures (simulate/) for a transport (api/).
 */
export function advisoryReporter(config: Readonly<Config>, store: Pick<DecisionStore, 'samples'>): AdvisoryReporter {
  return (pool, fromMs, toMs) => {
    const cfg = config.pools.find((p) => p.name === pool);
    if (!cfg) throw new PrescaleError('POOL_NOT_FOUND', `pool "${pool}" is not configured`, 'pool');
    // A sample holds for two actuator intervals at most: a longer gap (the service was down) is not measured.
    return advisoryReport({ pool: cfg, samples: store.samples(pool, fromMs, toMs), fromMs, toMs, maxSampleSeconds: config.actuator.interval * 2 });
  };
}
