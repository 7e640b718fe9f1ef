import { loadCliConfig, logLevelFromEnv } from '../cli-env';
import { serve } from '../../serve';
import { createLogger } from '../../../src/telemetry/logger';
import { describeCliError } from '../cli-errors';

/** How long a failed start may take to wind down before the process is ended anyway. */
const FAILED_START_EXIT_MS = 3_000;

/**
 * `prescale serve [--config FILE]`: runs until SIGTERM or SIGINT, then drains and exits.
 * A start-up failure (unreadable certificate, bad token file, port in use) rejects, so the CLI
 * exits non-zero (2 for configuration) and the kubelet restarts the pod with the reason in
 * its log, instead of a process that lives on, live but never ready.
 */
export async function serveCommand(options: { config?: string; demoReplay?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const level = logLevelFromEnv(env);
  const config = loadCliConfig(options.config, env, options.demoReplay);
  const logger = createLogger({ level });
  let running: Awaited<ReturnType<typeof serve>>;
  try {
    running = await serve({ config, logger });
  } catch (err) {
    logger.error({ err }, 'prescale could not start; exiting');
    // serve() closes what it opened; should any handle still hold the event loop, end the
    // process anyway. unref(): the timer itself never keeps a clean exit waiting.
    setTimeout(() => process.exit(describeCliError(err).code), FAILED_START_EXIT_MS).unref();
    throw err;
  }
  await new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      logger.info({ signal }, 'shutting down: draining in-flight requests');
      resolve();
    };
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  await running.stop();
  return 0;
}
