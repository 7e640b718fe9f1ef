import { PrescaleError } from '../../src/errors/prescale-error';

/** Exit codes: 0 success, 1 failure of the work, 2 bad input (flags, files, config). */
export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

/** The exit code for an error, and the one line printed for it on stderr. */
export function describeCliError(err: unknown): { code: number; line: string } {
  if (err instanceof PrescaleError) {
    const bad = err.code === 'INVALID_INPUT' || err.code === 'INVALID_CONFIG' || err.code === 'PAYLOAD_TOO_LARGE' || err.code === 'SERIES_NOT_FOUND';
    return { code: bad ? EXIT_BAD_INPUT : EXIT_FAILURE, line: `prescale: ${err.message}` };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: EXIT_FAILURE, line: `prescale: ${message.split('\n')[0]}` };
}
