import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { externalMetricsSchema, kedaSchema } from './kubernetes-schema';
import { formatDuration } from './duration';
import { durationSeconds } from './schema-helpers';
import { serverAuthSchema } from './server-auth-schema';
import { checkPlannerRefs, plannerSections } from './planner-schema';
import { leaderSchema } from './leader-schema';
import { seriesSchema } from './series-schema';
import { storageSchema } from './storage-schema';
import { trainingSchema } from './training-schema';

/** Where the service listens. `HOST` and `PORT` override these. */
const serverSchema = z
  .strictObject({
    host: z.string().min(1).default('0.0.0.0').describe('Listen address of the HTTP API.'),
    port: z.number().int().min(0).max(65_535).default(8080).describe('Listen port of the HTTP API (0 = any free port).'),
    maxSamplesPerRequest: z.number().int().positive().max(1_000_000).default(50_000).describe('Largest sample batch one push may carry (413 beyond).'),
    shutdownGrace: durationSeconds.default(10).describe('How long SIGTERM waits for in-flight requests.'),
    maxFutureSkew: durationSeconds
      .default(300)
      .describe('How far ahead of the service clock a sample may be: a push beyond it is refused (400), a pulled sample beyond it is dropped and counted.'),
    auth: serverAuthSchema
      .optional()
      .describe('Bearer tokens and roles on the REST API; without it, a non-loopback listener refuses writes and admin calls (403).'),
  })
  .prefault({});

/** The built-in demo workload. */
const demoSchema = z
  .strictObject({
    enabled: z.boolean().default(false).describe('Generate a RAG-like demo series (on when no config file is given).'),
    series: z.string().default('demo-generate-rps').describe('Name of the demo series.'),
    seed: z.number().int().default(42).describe('Random seed of the demo generator.'),
    replay: durationSeconds
      .optional()
      .describe('On start, record this much demo history (e.g. 1d) in advisory mode: planned vs a simulated reactive HPA, with decision records, so the dashboard shows something at once. Adds the pool `demo-pool` on the demo series when none is configured.'),
  })
  .prefault({});

/** Forecast refresh and safety rules. */
const forecastSchema = z
  .strictObject({
    model: z
      .enum(['auto', 'mstl', 'seasonal', 'seasonal-naive'])
      .default('auto')
      .describe(
        'Model that serves forecasts until a trained version is promoted. auto: each training scores every kind the history supports on the held-out window and the winner is the candidate (src/model-selection/model-choice.ts); until then seasonal serves.',
      ),
    refreshDebounce: durationSeconds.default(1).describe('Quiet time after new samples before the forecast refreshes.'),
    observationFloor: z.boolean().default(true).describe('Safety rule 1: near-horizon forecasts are never below the latest observation.'),
    observationFloorHorizon: durationSeconds.default(300).describe('How far ahead the observation floor applies.'),
    workers: z
      .number()
      .int()
      .min(1)
      .max(64)
      .default(() => Math.max(1, availableParallelism() - 1))
      .describe('Worker threads that refresh forecasts; each series stays on one, which keeps its fitted model. Default: cores − 1, at least 1.'),
  })
  .prefault({});

export const configSchema = z.strictObject({
  server: serverSchema,
  storage: storageSchema,
  demo: demoSchema,
  forecast: forecastSchema,
  training: trainingSchema,
  leader: leaderSchema,
  externalMetrics: externalMetricsSchema.optional().describe('The external.metrics.k8s.io aggregated API (HTTPS); off when absent.'),
  keda: kedaSchema.optional().describe('The KEDA external scaler (gRPC); off when absent.'),
  series: z
    .array(seriesSchema)
    .default([])
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((s, i) => {
        if (seen.has(s.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate series name "${s.name}"` });
        seen.add(s.name);
      });
    }),
  ...plannerSections,
})
  .superRefine(checkPlannerRefs)
  .superRefine(checkRetention);

/** A retention shorter than a series' history would delete the samples its next fit needs. */
function checkRetention(config: { storage: { retention?: number | undefined }; series: readonly { name: string; history: number }[] }, ctx: z.RefinementCtx): void {
  const retention = config.storage.retention;
  if (retention === undefined) return;
  for (const s of config.series) {
    if (s.history > retention) {
      ctx.addIssue({ code: 'custom', path: ['storage', 'retention'], message: `${formatDuration(retention)} is shorter than the history of series "${s.name}" (${formatDuration(s.history)}); keep at least that` });
      return;
    }
  }
}

export type Config = z.output<typeof configSchema>;
export type { SeriesConfig } from './series-schema';
