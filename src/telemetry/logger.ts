import pino from 'pino';

export type Logger = pino.Logger;

/** Structured JSON logs on stdout (pino). `PRESCALE_LOG_LEVEL` is read by the caller and passed in. */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino({ level: options.level ?? 'info', base: { service: 'prescale' } }, options.destination);
}
