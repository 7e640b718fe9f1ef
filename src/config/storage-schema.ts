import { z } from 'zod';
import { durationSeconds } from './schema-helpers';

/** Why a URL is refused, without echoing it: it may carry a password. Empty when it is usable. */
export function postgresUrlProblem(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'not a URL (expected postgres://user@host:5432/database)';
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') return `scheme must be postgres:// or postgresql://, not ${parsed.protocol}//`;
  if (parsed.hostname === '' && !parsed.searchParams.has('host')) return 'names no host';
  return '';
}

const postgresUrl = z.string().superRefine((url, ctx) => {
  const problem = postgresUrlProblem(url);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** Where the PostgreSQL backend connects. `PRESCALE_POSTGRES_URL` overrides both keys. */
export const postgresStorageSchema = z
  .strictObject({
    url: postgresUrl.optional().describe('Connection URL (postgres://user:password@host:5432/database?sslmode=…). Prefer urlFile or PRESCALE_POSTGRES_URL for a URL with a password.'),
    urlFile: z.string().min(1).optional().describe('File holding the connection URL (e.g. a mounted Secret), read once at start.'),
  })
  .superRefine((pg, ctx) => {
    if (pg.url !== undefined && pg.urlFile !== undefined) ctx.addIssue({ code: 'custom', path: ['urlFile'], message: 'set either url or urlFile, not both' });
  });

/** History store. `PRESCALE_DATA_DIR` overrides `dataDir`; `PRESCALE_POSTGRES_URL` sets `postgres.url`. */
export const storageSchema = z
  .strictObject({
    backend: z
      .enum(['sqlite', 'postgres'])
      .default('sqlite')
      .describe('Where history lives: sqlite (embedded file under dataDir, one replica) or postgres (shared by every replica).'),
    dataDir: z.string().min(1).default('./data').describe('Folder for the SQLite history (and, by default, models).'),
    postgres: postgresStorageSchema.optional().describe('The PostgreSQL database of the postgres backend: exactly one of url or urlFile (or env PRESCALE_POSTGRES_URL).'),
    retention: durationSeconds
      .optional()
      .describe('How long samples are kept, measured from the service clock (never from the newest sample); default twice each series\' history. At least every series\' history.'),
  })
  .superRefine((storage, ctx) => {
    if (storage.backend !== 'postgres') return;
    const pg = storage.postgres;
    if (pg?.url === undefined && pg?.urlFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['postgres'], message: 'backend postgres needs postgres.url or postgres.urlFile (or env PRESCALE_POSTGRES_URL)' });
    }
  })
  .prefault({});

export type StorageConfig = z.output<typeof storageSchema>;
