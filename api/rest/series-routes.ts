import express, { type Request, Router } from 'express';
import type { AccuracyTracker } from '../../src/accuracy/accuracy-tracker';
import type { ForecastService } from '../../src/forecast/forecast-service';
import { PrescaleError, invalidInput } from '../../src/errors/prescale-error';
import { type BatchRules, parseCsvSamples, parseJsonSamples } from '../../src/ingest/parse-samples';
import { parseTimestamp } from '../../src/ingest/parse-timestamp';
import { type Clock, systemClock } from '../../src/time/clock';
import { iso } from '../../src/time/iso';
import { seriesAccuracyJson } from './accuracy-json';

const DEFAULT_HISTORY_MS = 24 * 3600_000;
const MAX_HISTORY_SAMPLES = 50_000;

export interface SeriesRoutesOptions {
  /** `server.maxSamplesPerRequest`: a bigger batch gets 413. */
  maxSamplesPerRequest: number;
  /** `server.maxFutureSkew` in seconds: a sample further ahead of `clock` gets 400 naming it. */
  maxFutureSkewSeconds: number;
  /** The service clock (default: the system clock). */
  clock?: Clock;
  /** Live accuracy, for the `accuracy` object of `GET /v1/series/{name}`. */
  accuracy?: Pick<AccuracyTracker, 'series'>;
}

/** `GET /v1/series`, `GET /v1/series/{name}` (settings and live accuracy), `GET /v1/series/{name}/samples?from&to` and `POST /v1/series/{name}/samples` (JSON array or CSV). */
export function seriesRoutes(service: ForecastService, options: SeriesRoutesOptions): Router {
  const clock = options.clock ?? systemClock;
  const router = Router();
  // ~100 bytes per JSON sample leaves room for whitespace; the sample count is the real limit.
  const bodyLimit = Math.max(1_000_000, options.maxSamplesPerRequest * 100);
  router.get('/v1/series', (_req, res) => {
    res.json({
      series: service.listSeries().map((s) => ({
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
      ...(tracked ? { accuracy: seriesAccuracyJson(tracked, clock.now()) } : {}),
    });
  });
  router.get('/v1/series/:name/samples', (req: Request<{ name: string }>, res) => {
    const samples = service.history(req.params.name, {
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
    (req: Request<{ name: string }>, res) => {
      const name = req.params.name;
      service.seriesConfig(name);
      const samples = parseBody(req, {
        maxSamples: options.maxSamplesPerRequest,
        future: { nowMs: clock.now(), maxSkewSeconds: options.maxFutureSkewSeconds },
      });
      const result = service.ingest(name, samples);
      res.status(200).json({ series: name, stored: result.stored, changed: result.changed });
    },
  );
  return router;
}

function parseBody(req: Request, rules: BatchRules): ReturnType<typeof parseJsonSamples> {
  if (req.is('application/json') || req.is('+json')) return parseJsonSamples(req.body, rules);
  if (req.is('text/csv') || req.is('text/plain')) return parseCsvSamples(String(req.body ?? ''), rules);
  throw new PrescaleError('INVALID_INPUT', 'content-type: send application/json (array of {"t","v"}) or text/csv (timestamp,value)', 'content-type');
}
