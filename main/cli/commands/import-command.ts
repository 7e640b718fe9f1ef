import { readFileSync } from 'node:fs';
import { invalidInput, PrescaleError } from '../../../src/errors/prescale-error';
import { readSamplesFile } from '../read-series-file';
import { progressBar } from '../progress';

export interface ImportOptions {
  series: string;
  url: string;
  batch: number;
  /** File holding the bearer token for a service with `server.auth` (role `write`). */
  tokenFile?: string | undefined;
}

/**
 * `prescale import --series NAME FILE`: pushes a CSV file to a running service through the
 * same endpoint as any client, in batches, with a progress bar on a terminal. `FILE` may be
 * `-` for standard input.
 */
export async function importCommand(file: string, options: ImportOptions, out: NodeJS.WritableStream): Promise<number> {
  const samples = readSamplesFile(file);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...authorization(options.tokenFile) };
  const bar = progressBar(`import ${options.series}`);
  let stored = 0;
  let changed = 0;
  try {
    for (let i = 0; i < samples.length; i += options.batch) {
      const batch = samples.slice(i, i + options.batch).map((s) => ({ t: new Date(s.t).toISOString(), v: s.v }));
      const result = await postBatch(options, headers, batch);
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

function authorization(tokenFile: string | undefined): Record<string, string> {
  if (tokenFile === undefined) return {};
  try {
    return { authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}` };
  } catch (err) {
    throw invalidInput('--token-file', `cannot read ${tokenFile}: ${(err as Error).message}`);
  }
}

async function postBatch(options: ImportOptions, headers: Record<string, string>, batch: unknown[]): Promise<{ stored: number; changed: number }> {
  const url = new URL(`/v1/series/${encodeURIComponent(options.series)}/samples`, options.url);
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(batch) });
  } catch (err) {
    throw new PrescaleError('UPSTREAM_UNAVAILABLE', `cannot reach ${options.url} (${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}); is "prescale serve" running?`);
  }
  const body = (await res.json().catch(() => ({}))) as { stored?: number; changed?: number; detail?: string };
  if (res.status === 404) throw notConfigured(options);
  // The service's own words say what is missing (a token, a role, or auth on a non-loopback listener).
  if (res.status === 401 || res.status === 403) throw invalidInput('--token-file', body.detail ?? `refused with HTTP ${res.status}`);
  if (res.status >= 400 && res.status < 500) throw invalidInput('FILE', body.detail ?? `rejected with HTTP ${res.status}`);
  if (!res.ok) throw new PrescaleError('UPSTREAM_UNAVAILABLE', `${options.url} answered HTTP ${res.status}`);
  return { stored: body.stored ?? 0, changed: body.changed ?? 0 };
}

/** A push to a series the service does not serve: say how to add it, since the service's config decides. */
function notConfigured(options: ImportOptions): PrescaleError {
  return invalidInput(
    '--series',
    `"${options.series}" is not a configured series of ${options.url}; add "- { name: ${options.series}, step: 1m, horizon: 1h }" under series: in the service's config file, restart the service, and import again`,
  );
}
