import { readFileSync } from 'node:fs';
import { postgresUrlProblem } from '../config/storage-schema';
import type { StorageConfig } from '../config/storage-schema';
import { PrescaleError } from '../errors/prescale-error';

/**
 * The connection URL of the postgres backend: `storage.postgres.url`, or the trimmed content
 * of `storage.postgres.urlFile` (a mounted Secret), read once here at start. Messages name
 * the field and never contain the URL: it may carry a password.
 * @throws {PrescaleError} INVALID_CONFIG naming `storage.postgres.url` or `storage.postgres.urlFile`.
 */
export function resolvePostgresUrl(storage: Pick<StorageConfig, 'postgres'>): string {
  const pg = storage.postgres;
  if (pg?.url !== undefined) return pg.url;
  if (pg?.urlFile === undefined) {
    throw new PrescaleError('INVALID_CONFIG', 'storage.postgres: the postgres backend needs url or urlFile (or env PRESCALE_POSTGRES_URL)', 'storage.postgres');
  }
  let url: string;
  try {
    url = readFileSync(pg.urlFile, 'utf8').trim();
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `storage.postgres.urlFile: cannot read ${pg.urlFile}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`, 'storage.postgres.urlFile');
  }
  const problem = postgresUrlProblem(url);
  if (problem) throw new PrescaleError('INVALID_CONFIG', `storage.postgres.urlFile: the URL in ${pg.urlFile} is ${problem}`, 'storage.postgres.urlFile');
  return url;
}
