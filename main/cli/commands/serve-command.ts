import { loadConfig } from '../../../src/config/load-config';
import { serve } from '../../serve';
import { createLogger } from '../../../src/telemetry/logger';

/** `prescale serve [--config FILE]`: runs until SIGTERM or SIGINT, then drains and exits. */
export async function serveCommand(options: { config?: string }, env: NodeJS.ProcessEnv): Promise<number> {
  const config = loadConfig({ file: options.config, env });
  const logger = createLogger({ level: env['PRESCALE_LOG_LEVEL'] ?? 'info' });
  const running = await serve({ config, logger });
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
