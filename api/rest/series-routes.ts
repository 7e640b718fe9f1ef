import express, { type Request, Router } from 'express';
import type { AccuracyTracker } from '../../src/accuracy/accuracy-tracker';
import type { ForecastService } from '../../src/forecast/forecast-service';
import { PrescaleError, invalidInput } from '../../src/errors/prescale-error';
import { type BatchRules, parseCsvSamples, parseJsonSamples } from '../../src/ingest/parse-samples';
import { parseSeriesBatch } from '../../src/ingest/parse-series-batch';
import { parseTimestamp } from '../../src/ingest/parse-timestamp';
import { type Clock, systemClock } from '../../src/time/clock';
import { iso } from '../../src/time/iso';
import { seriesAccuracyJson } from './accuracy-json';

const DEFAULT_HISTORY_MS = 24 * 3600_000;
const MAX_HISTORY_SAMPLES = 50_000;
/** Largest page of `GET /v1/series?limit=`. */
const MAX_LIST_LIMIT = 10_000;
const CONTINUE_VERSION = 1;

export interface SeriesRoutesOptions {
  /** `server.maxSamplesPerRequest`: a bigger batch gets 413. */
  maxSamplesPerRequest: number;
  /** `server.maxFutureSkew` in seconds: a sample further ahead of `clock` gets 400 naming it. */
  maxFutureSkewSeconds: number;
  /** The service clock (default: the system clock). */
  clock?: Clock;
  /** Live accuracy, for the `accuracy` object of `GET /v1/series/{name}`. */
  accuracy?: Pick<AccuracyTracker, 'series'>;
  /** The model serving a series (kind, version, held-out scores, the `auto` choice), for the `model` object of `GET /v1/series/{name}`. */
  servingModel?: (series: string) => object;
}

/** `GET /v1/series`, `GET /v1/series/{name}` (settings and live accuracy), `GET /v1/series/{name}/samples?from&to`, `POST /v1/series/{name}/samples` (JSON array or CSV) and `POST /v1/samples` (many series at once). */
export function seriesRoutes(service: ForecastService, options: SeriesRoutesOptions): Router {
  const clock = options.clock ?? systemClock;
  const router = Router();
  // ~100 bytes per JSON sample leaves room for whitespace; the sample count is the real limit.
  const bodyLimit = Math.max(1_000_000, options.maxSamplesPerRequest * 100);
  router.get('/v1/series', (req, res) => {
    const limit = parseLimit(req.query['limit']);
    const after = parseContinue(req.query['continue']);
    const page = service.listPage({ limit: limit ?? Number.POSITIVE_INFINITY, after });
    res.json({
      // Kubernetes list metadata: `continue` is present while more series follow.
      metadata: page.lastListed !== null ? { continue: encodeContinue(page.lastListed) } : {},
      series: page.series.map((s) => ({
        name: s.name,
        step: s.stepSeconds,
        kind: s.kind,
        timezone: s.timezone,
        samples: s.count,
        first: iso(s.firstMs),
        last: iso(s.lastMs),
        ageSeconds: s.freshness.ageSeconds,
        stale: s.freshness.stale,
        hasForecast: s.hasForecast,
      })),
    });
  });
  router.get('/v1/series/:name', (req: Request<{ name: string }>, res) => {
    const config = service.seriesConfig(req.params.name);
    const tracked = options.accuracy?.series(config.name);
    res.json({
      name: config.name,
      step: config.step,
      kind: config.kind,
      timezone: config.timezone,
      horizon: config.horizon,
      quantiles: config.quantiles,
      ...(options.servingModel ? { model: options.servingModel(config.name) } : {}),
      ...(tracked ? { accuracy: seriesAccuracyJson(tracked, clock.now()) } : {}),
    });
  });
  router.get('/v1/series/:name/samples', async (req: Request<{ name: string }>, res) => {
    const samples = await service.history(req.params.name, {
      ...(req.query['from'] !== undefined ? { fromMs: parseTimestamp(req.query['from'], 'from') } : {}),
      ...(req.query['to'] !== undefined ? { toMs: parseTimestamp(req.query['to'], 'to') } : {}),
      defaultSpanMs: DEFAULT_HISTORY_MS,
    });
    if (samples.length > MAX_HISTORY_SAMPLES) throw invalidInput('from', `the range holds ${samples.length} samples; ask for at most ${MAX_HISTORY_SAMPLES}`);
    res.json({ series: req.params.name, samples: samples.map((s) => ({ t: iso(s.t), v: s.v })) });
  });
  router.post(
    '/v1/series/:name/samples',
    express.json({ limit: bodyLimit, type: ['application/json', '+json'] }),
    express.text({ limit: bodyLimit, type: ['text/csv', 'text/plain'] }),
    async (req: Request<{ name: string }>, res) => {
      const name = req.params.name;
      service.seriesConfig(name);
      const samples = parseBody(req, {
        maxSamples: options.maxSamplesPerRequest,
        future: { nowMs: clock.now(), maxSkewSeconds: options.maxFutureSkewSeconds },
      });
      const result = await service.ingest(name, samples);
      res.status(200).json({ series: name, stored: result.stored, changed: result.changed });
    },
  );
  // Many series in one request (each at most once); checked whole before anything is stored.
  // A write that fails part-way leaves the other series stored: re-sending the request is
  // safe, since samples already stored change nothing.
  router.post('/v1/samples', express.json({ limit: bodyLimit, type: ['application/json', '+json'] }), async (req, res) => {
    if (!req.is('application/json') && !req.is('+json')) throw new PrescaleError('INVALID_INPUT', 'content-type: send application/json ({"series": [{"name", "samples"}]})', 'content-type');
    const batch = parseSeriesBatch(
      req.body,
      { maxSamples: options.maxSamplesPerRequest, future: { nowMs: clock.now(), maxSkewSeconds: options.maxFutureSkewSeconds } },
      (name) => service.seriesConfig(name),
    );
    const results = await Promise.all(batch.map(async ({ name, samples }) => ({ name, ...(await service.ingest(name, samples)) })));
    res.status(200).json({
      stored: results.reduce((n, r) => n + r.stored, 0),
      changed: results.reduce((n, r) => n + r.changed, 0),
      series: results,
    });
  });
  return router;
}

function parseBody(req: Request, rules: BatchRules): ReturnType<typeof parseJsonSamples> {
  if (req.is('application/json') || req.is('+json')) return parseJsonSamples(req.body, rules);
  if (req.is('text/csv') || req.is('text/plain')) return parseCsvSamples(String(req.body ?? ''), rules);
  throw new PrescaleError('INVALID_INPUT', 'content-type: send application/json (array of {"t","v"}) or text/csv (timestamp,value)', 'content-type');
}

/** `?limit=`: absent lists everything; otherwise a whole number from 1 to {@link MAX_LIST_LIMIT}. */
function parseLimit(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^[0-9]+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(n >= 1 && n <= MAX_LIST_LIMIT)) throw invalidInput('limit', `must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  return n;
}

/**
 * The continue token is opaque to clients (Kubernetes list semantics): base64url of a small
 * JSON object naming the last series listed, so a page after a config reload starts at the
 * right place or fails clearly, never skips silently.
 */
function encodeContinue(lastListed: string): string {
  return Buffer.from(JSON.stringify({ v: CONTINUE_VERSION, after: lastListed })).toString('base64url');
}

function parseContinue(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let decoded: unknown = null;
  if (typeof raw === 'string' && /^[A-Za-z0-9_-]+$/.test(raw)) {
    try {
      decoded = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    } catch {
      decoded = null;
    }
  }
  const token = decoded as { v?: unknown; after?: unknown } | null;
  if (!token || token.v !== CONTINUE_VERSION || typeof token.after !== 'string') {
    throw invalidInput('continue', 'is not a token from metadata.continue of an earlier page');
  }
  return token.after;
}
