import { loadConfig } from '../../src/config/load-config';
import type { Config } from '../../src/config/schema';
import { invalidInput } from '../../src/errors/prescale-error';

/** pino's levels; any other `PRESCALE_LOG_LEVEL` made pino throw "unknown level" (exit 1, no variable named). */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `PRESCALE_LOG_LEVEL` (default `info`). @throws {PrescaleError} INVALID_INPUT naming the variable. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv): string {
  const raw = env['PRESCALE_LOG_LEVEL'];
  if (raw === undefined || raw === '') return 'info';
  if (!(LOG_LEVELS as readonly string[]).includes(raw)) throw invalidInput('PRESCALE_LOG_LEVEL', `"${raw}" is not a log level (${LOG_LEVELS.join(', ')})`);
  return raw;
}

/**
 * `PORT`, checked before it overrides `server.port`: otherwise a bad value is reported as
 * `server.port`, a key the user never wrote. @throws {PrescaleError} INVALID_INPUT naming `PORT`.
 */
export function checkPortEnv(env: NodeJS.ProcessEnv): void {
  const raw = env['PORT'];
  if (raw === undefined || raw === '') return;
  if (!/^\d{1,5}$/.test(raw) || Number(raw) > 65_535) throw invalidInput('PORT', `"${raw}" is not a port number (0–65535)`);
}

/** The config as every command reads it: the file (or the demo), with the environment's overrides checked by name. */
export function loadCliConfig(file: string | undefined, env: NodeJS.ProcessEnv, demoReplay?: string): Readonly<Config> {
  checkPortEnv(env);
  return loadConfig({ file, env, demoReplay });
}
