import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { ModelManifest } from './model-manifest';
import type { ServingPointer } from './model-registry';

/**
 * Schemas of the registry's files, checked on every read: a file written by another version
 * of Prescale, cut short or edited by hand is refused with the file and the field to blame,
 * instead of failing later inside a model with `undefined is not a number`.
 */

const gateScore = z.object({ mase: z.number(), coverage: z.record(z.string(), z.number()) });

/** manifest.json; unknown keys are kept (a newer writer may add some), missing ones refused. */
export const manifestSchema = z.object({
  series: z.string().min(1),
  version: z.string().regex(/^v\d+$/),
  kind: z.string().min(1),
  formatVersion: z.number().int().positive(),
  hyperParameters: z.record(z.string(), z.unknown()),
  stepSeconds: z.number().positive(),
  timezone: z.string().min(1),
  horizonSteps: z.number().int().positive(),
  trainedFrom: z.string(),
  trainedTo: z.string(),
  conditionedTo: z.string(),
  gate: z.object({
    candidate: gateScore,
    current: gateScore.nullable(),
    currentVersion: z.string().nullable(),
    baseline: gateScore,
    margin: z.number(),
    heldOutFrom: z.string(),
    heldOutTo: z.string(),
  }),
  decision: z.enum(['promoted', 'rejected']),
  reason: z.string(),
  calibration: z.unknown(),
  backend: z.string().nullable(),
  createdAt: z.string(),
  codeVersion: z.string(),
  choice: z
    .object({
      chosen: z.string(),
      reason: z.string(),
      candidates: z.array(z.object({ kind: z.string(), score: gateScore.nullable(), skipped: z.string().optional() })),
      decidedAt: z.string(),
    })
    .optional(),
  warmStartedFrom: z.string().optional(),
  state: z.unknown(),
});

/** serving.json. */
export const servingSchema = z.object({ promoted: z.string().nullable(), history: z.array(z.string()) });

/**
 * Reads and parses one JSON file of the registry.
 * @throws {PrescaleError} INVALID_INPUT naming the file and the first bad field (`field` is its path).
 */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>): T {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PrescaleError('INVALID_INPUT', `${file} is not JSON: ${(err as Error).message}`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)';
  throw new PrescaleError('INVALID_INPUT', `${file}: field "${field}": ${issue?.message ?? 'invalid'}`, field);
}

/** A manifest, parsed. @throws {PrescaleError} INVALID_INPUT as {@link readJsonFile}. */
export function readManifest(file: string): ModelManifest {
  return readJsonFile(file, manifestSchema) as ModelManifest;
}

/** A serving pointer, parsed. @throws {PrescaleError} INVALID_INPUT as {@link readJsonFile}. */
export function readServing(file: string): ServingPointer {
  return readJsonFile(file, servingSchema);
}

/**
 * Refuses an artifact whose format this code does not read (written by an older or newer
 * Prescale): rebuilding a model from a state of another layout gives wrong forecasts, not errors.
 * @throws {PrescaleError} INVALID_INPUT naming the file and `formatVersion`.
 */
export function checkFormatVersion(file: string, manifest: Pick<ModelManifest, 'kind' | 'formatVersion'>, supported: number): void {
  if (manifest.formatVersion !== supported) {
    throw new PrescaleError(
      'INVALID_INPUT',
      `${file}: field "formatVersion": ${manifest.kind} artifacts of format ${manifest.formatVersion} cannot be read (this version reads format ${supported}); retrain the series`,
      'formatVersion',
    );
  }
}
