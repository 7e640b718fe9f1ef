import { readFileSync } from 'node:fs';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { Logger } from '../../src/telemetry/logger';
import { type PemPair, selfSignedPair } from './self-signed';

/**
 * The serving certificate: from files when configured, otherwise a fresh self-signed pair
 * (logged as a warning: clients must then skip verification).
 * @throws {PrescaleError} INVALID_CONFIG when a configured file cannot be read.
 */
export function servingTls(options: {
  files: { certFile: string; keyFile: string } | undefined;
  field: string;
  hostnames: readonly string[];
  nowMs: number;
  logger: Logger;
}): PemPair {
  if (options.files) {
    return { cert: readPem(options.files.certFile, `${options.field}.certFile`), key: readPem(options.files.keyFile, `${options.field}.keyFile`) };
  }
  const pair = selfSignedPair({ commonName: 'prescale', altNames: options.hostnames, nowMs: options.nowMs });
  options.logger.warn(
    { field: options.field, altNames: options.hostnames },
    'no TLS certificate configured: serving a self-signed one generated at start; clients must skip verification (APIService insecureSkipTLSVerify: true)',
  );
  return pair;
}

/** Reads a PEM file. @throws {PrescaleError} INVALID_CONFIG naming `field`. */
export function readPem(file: string, field: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `${field}: cannot read ${file}: ${(err as Error).message}`, field);
  }
}
