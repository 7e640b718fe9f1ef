import { readFileSync } from 'node:fs';
import { type SecureContextOptions, createSecureContext } from 'node:tls';
import { PrescaleError } from '../../src/errors/prescale-error';
import type { Logger } from '../../src/telemetry/logger';
import { type PemPair, selfSignedPair } from './self-signed';

/**
 * The serving certificate: from files when configured, otherwise a fresh self-signed pair
 * (logged as a warning: clients must then skip verification).
 * @throws {PrescaleError} INVALID_CONFIG when a configured file cannot be read, or is no matching certificate and key.
 */
export function servingTls(options: {
  files: { certFile: string; keyFile: string } | undefined;
  field: string;
  hostnames: readonly string[];
  nowMs: number;
  logger: Logger;
}): PemPair {
  if (options.files) {
    return checkedPemPair({ cert: readPem(options.files.certFile, `${options.field}.certFile`), key: readPem(options.files.keyFile, `${options.field}.keyFile`) }, options.field);
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

/**
 * `pair` once OpenSSL accepts it (PEM parses, the key matches the certificate), so a bad file
 * is a configuration error at start rather than a failure inside a listener.
 * @throws {PrescaleError} INVALID_CONFIG naming `field`.
 */
export function checkedPemPair(pair: PemPair, field: string): PemPair {
  try {
    createSecureContext({ cert: pair.cert, key: pair.key });
  } catch (err) {
    throw new PrescaleError('INVALID_CONFIG', `${field}: the certificate and key are not a usable PEM pair: ${(err as Error).message}`, field);
  }
  return pair;
}

/**
 * TLS 1.2 suites of the HTTPS listener: ECDHE key exchange with AEAD ciphers only (AES-GCM,
 * ChaCha20-Poly1305), the secure subset Kubernetes components negotiate; no RSA key exchange
 * (no forward secrecy) and no CBC. The TLS 1.3 suites are all AEAD and stay on.
 */
export const SERVING_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Protocol floor and suites for a serving socket: TLS ≥ 1.2, as the aggregation layer's client requires. */
export const SERVING_TLS_SETTINGS: Pick<SecureContextOptions, 'minVersion' | 'ciphers' | 'honorCipherOrder'> = {
  minVersion: 'TLSv1.2',
  ciphers: SERVING_CIPHERS,
  honorCipherOrder: true,
};
