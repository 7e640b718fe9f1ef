import { invalidInput, PrescaleError } from '../../../src/errors/prescale-error';
import { readSamplesFile } from '../read-series-file';
import { progressBar } from '../progress';

export interface ImportOptions {
  series: string;
  url: string;
  batch: number;
}

/**
 * `prescale import --series NAME FILE`: pushes a CSV file to a running service through the
 * same endpoint as any client, in batches, with a progress bar on a terminal.
 */
export async function importCommand(file: string, options: ImportOptions, out: NodeJS.WritableStream): Promise<number> {
  const samples = readSamplesFile(file);
  const bar = progressBar(`import ${options.series}`);
  let stored = 0;
  let changed = 0;
  try {
    for (let i = 0; i < samples.length; i += options.batch) {
      const batch = samples.slice(i, i + options.batch).map((s) => ({ t: new Date(s.t).toISOString(), v: s.v }));
      const result = await postBatch(options, batch);
      stored += result.stored;
      changed += result.changed;
      bar.update(Math.min(samples.length, i + options.batch), samples.length);
    }
  } finally {
    bar.stop();
  }
  out.write(`${JSON.stringify({ series: options.series, stored, changed })}\n`);
  return 0;
}

async function postBatch(options: ImportOptions, batch: unknown[]): Promise<{ stored: number; changed: number }> {
  const url = new URL(`/v1/series/${encodeURIComponent(options.series)}/samples`, options.url);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(batch) });
  } catch (err) {
    throw new PrescaleError('UPSTREAM_UNAVAILABLE', `cannot reach ${options.url} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}); is "prescale serve" running?`);
  }
  const body = (await res.json().catch(() => ({}))) as { stored?: number; changed?: number; detail?: string };
  if (res.status === 404) throw new PrescaleError('SERIES_NOT_FOUND', body.detail ?? `series "${options.series}" is not configured on ${options.url}`, '--series');
  if (res.status >= 400 && res.status < 500) throw invalidInput('FILE', body.detail ?? `rejected with HTTP ${res.status}`);
  if (!res.ok) throw new PrescaleError('UPSTREAM_UNAVAILABLE', `${options.url} answered HTTP ${res.status}`);
  return { stored: body.stored ?? 0, changed: body.changed ?? 0 };
}
