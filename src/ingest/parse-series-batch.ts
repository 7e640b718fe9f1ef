import { PrescaleError, invalidInput } from '../errors/prescale-error';
import type { Sample } from '../series/sample';
import { type BatchRules, checkSize, parseJsonSamples } from './parse-samples';

/** One series' part of a multi-series push. */
export interface SeriesSamples {
  name: string;
  samples: Sample[];
}

/**
 * Parses a multi-series push `{"series": [{"name": "api", "samples": [{"t", "v"}, …]}, …]}`:
 * one request for many series, so ten thousand series pushed each minute cost a few hundred
 * requests, not ten thousand. The whole body is checked before anything is stored; the
 * sample limit counts every series' samples together, and each series may appear once.
 * `known` throws for a series that is not configured (its field is prefixed here).
 * @throws {PrescaleError} INVALID_INPUT naming the field (`series[2].samples[0].t`);
 *   PAYLOAD_TOO_LARGE; the error of `known`, with `series[i].name` as its field.
 */
export function parseSeriesBatch(body: unknown, rules: BatchRules, known: (name: string) => void): SeriesSamples[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidInput('body', 'must be an object {"series": [{"name", "samples"}, …]}');
  const rec = body as Record<string, unknown>;
  for (const key of Object.keys(rec)) if (key !== 'series') throw invalidInput(`body.${key}`, 'unknown key (expected series)');
  const entries = rec['series'];
  if (!Array.isArray(entries) || entries.length === 0) throw invalidInput('series', 'must be a non-empty array of {"name", "samples"}');
  let total = 0;
  const seen = new Map<string, number>();
  return entries.map((entry: unknown, i) => {
    const field = `series[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw invalidInput(field, 'must be an object {"name", "samples"}');
    const e = entry as Record<string, unknown>;
    for (const key of Object.keys(e)) if (key !== 'name' && key !== 'samples') throw invalidInput(`${field}.${key}`, 'unknown key (expected name and samples)');
    const name = e['name'];
    if (typeof name !== 'string' || name === '') throw invalidInput(`${field}.name`, 'must be a series name');
    const first = seen.get(name);
    if (first !== undefined) throw invalidInput(`${field}.name`, `series "${name}" is also at series[${first}]; send each series once per request`);
    seen.set(name, i);
    try {
      known(name);
    } catch (err) {
      if (err instanceof PrescaleError) throw new PrescaleError(err.code, `${field}.name: ${err.message}`, `${field}.name`);
      throw err;
    }
    if (Array.isArray(e['samples'])) checkSize((total += e['samples'].length), rules.maxSamples ?? Infinity);
    return { name, samples: parseJsonSamples(e['samples'], rules, `${field}.samples`) };
  });
}
