import { z } from 'zod';
import { cronExpression } from './cron-expression';
import { durationSeconds, timezone } from './schema-helpers';

/**
 * The scheduling keys of `training`. Exported as a shape so the trainer's own `training`
 * keys (backend, registry, …) and these can live in one strict object.
 */
export const trainingScheduleShape = {
  schedule: cronExpression.optional().describe('Cron expression of in-process retraining, in `timezone` (e.g. "0 */6 * * *").'),
  timezone: timezone.default('UTC').describe('IANA timezone the schedule is read in.'),
  jitter: durationSeconds.optional().describe('Random delay (0..jitter) before each scheduled run, so replicas and clusters do not train in lockstep.'),
  lockFile: z.string().min(1).optional().describe('Leader lock file on a volume shared by the replicas; only its holder trains. Default: <dataDir>/training.lock.'),
  lockTtl: durationSeconds.default(120).describe('A lock not refreshed for this long is taken over (its holder died).'),
};

/**
 * Scheduled retraining. Without `schedule`, models are only (re)trained on demand
 * (`prescale train`, or a Kubernetes CronJob running it).
 */
export const trainingScheduleSchema = z.strictObject(trainingScheduleShape).prefault({});

export type TrainingScheduleConfig = z.output<typeof trainingScheduleSchema>;
