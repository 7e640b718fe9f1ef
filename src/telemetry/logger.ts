import pino from 'pino';
import { redactLogValue } from './redact-secrets';

export type Logger = pino.Logger;

/**
 * Structured JSON logs on stdout (pino). `PRESCALE_LOG_LEVEL` is read by the caller and passed in.
 * Every argument goes through `redactLogValue`: credentials in URLs (a source's
 * `user:password@` or `?token=`) are never written, whichever component logs them.
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'prescale' },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => redactLogValue(a)) as Parameters<typeof method>);
        },
      },
    },
    options.destination,
  );
}
