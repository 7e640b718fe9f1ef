import { z } from 'zod';
import { durationSeconds } from './schema-helpers';

/** 64 MiB: a one-series query_range chunk of 10,000 points is well under 1 MiB, so only a broken query or server comes near it. */
const MAX_RESPONSE_BYTES_DEFAULT = 64 * 1024 * 1024;

/** Client TLS for a Prometheus behind HTTPS with a private CA or mutual TLS. Files are read at start. */
const tlsSchema = z
  .strictObject({
    caFile: z.string().min(1).optional().describe('PEM file of the CA that signed the server certificate (added to the system CAs).'),
    certFile: z.string().min(1).optional().describe('PEM client certificate, for mutual TLS (needs keyFile).'),
    keyFile: z.string().min(1).optional().describe('PEM private key of the client certificate.'),
    serverName: z.string().min(1).optional().describe('Name to verify the server certificate against, when it differs from the URL host.'),
    insecureSkipVerify: z.boolean().default(false).describe('Skip server certificate verification (for experiments only).'),
  })
  .superRefine((t, ctx) => {
    if ((t.certFile === undefined) !== (t.keyFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [t.certFile === undefined ? 'certFile' : 'keyFile'], message: 'certFile and keyFile go together' });
    }
  });

const basicAuthSchema = z
  .strictObject({
    username: z.string().min(1).describe('Basic auth user name.'),
    password: z.string().optional().describe('Basic auth password (prefer passwordFile, so the secret stays out of the config).'),
    passwordFile: z.string().min(1).optional().describe('File holding the basic auth password (trailing newline ignored).'),
  })
  .superRefine((b, ctx) => {
    if ((b.password === undefined) === (b.passwordFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['password'], message: 'give exactly one of password and passwordFile' });
    }
  });

/**
 * A Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir/Cortex with a path
 * prefix in `url`). Only `GET {url}/api/v1/query_range` is used.
 */
export const prometheusSourceSchema = z
  .strictObject({
    url: z
      .url({ protocol: /^https?$/ })
      .describe('Base URL of the Prometheus HTTP API, without /api/v1 (e.g. http://prometheus:9090, https://mimir/prometheus).'),
    query: z.string().min(1).describe('PromQL expression that yields exactly ONE series (aggregate it, e.g. sum(rate(x[1m]))).'),
    timeout: durationSeconds
      .default(30)
      .describe('Total deadline of one HTTP request, body included (a server that trickles its answer is cut off at it); start-up waits at most this long for the backfill.'),
    maxResponseBytes: z
      .number()
      .int()
      .min(1024)
      .default(MAX_RESPONSE_BYTES_DEFAULT)
      .describe('Largest answer accepted, in bytes (default 64 MiB); a longer one is aborted while it streams and the pull fails with an error naming this key.'),
    retries: z.number().int().min(0).max(10).default(3).describe('Retries of a failed request (exponential backoff with jitter) before the pull counts as failed.'),
    bearerTokenFile: z.string().min(1).optional().describe('File with a bearer token, re-read on every request (rotated service-account tokens work).'),
    basicAuth: basicAuthSchema.optional().describe('HTTP basic auth.'),
    tls: tlsSchema.optional().describe('Custom CA, client certificate, server name.'),
  })
  .superRefine((p, ctx) => {
    if (p.bearerTokenFile !== undefined && p.basicAuth !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['basicAuth'], message: 'use either bearerTokenFile or basicAuth, not both' });
    }
  });

/** Where the samples of a series come from. Without it, samples are pushed (POST /v1/series/{name}/samples). */
export const sourceSchema = z.strictObject({
  prometheus: prometheusSourceSchema.describe('Pull the series from a Prometheus-compatible API.'),
});

export type PrometheusSourceConfig = z.output<typeof prometheusSourceSchema>;
