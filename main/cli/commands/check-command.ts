import { checkConfigFile } from '../../../src/config/load-config';
import { EXIT_BAD_INPUT, EXIT_OK } from '../cli-errors';

/**
 * `prescale check --config FILE`: validates a config file as `serve` would read it (schema and
 * cross-references in one round) without starting anything. Prints one line per problem on
 * stderr, `path: message`, and exits 2; or `FILE: ok` on stdout and exits 0. Environment
 * overrides (PORT, HOST, PRESCALE_DATA_DIR) are not applied: the file is checked as written.
 */
export function checkCommand(options: { config: string }, out: NodeJS.WritableStream, err: NodeJS.WritableStream): number {
  const problems = checkConfigFile(options.config);
  if (problems.length === 0) {
    out.write(`${options.config}: ok\n`);
    return EXIT_OK;
  }
  for (const p of problems) err.write(`${options.config}: ${p.path}: ${p.message}\n`);
  err.write(`${options.config}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n`);
  return EXIT_BAD_INPUT;
}
