import { type Request, Router } from 'express';
import { parseDurationSeconds } from '../../src/config/duration';
import { invalidInput } from '../../src/errors/prescale-error';
import type { ForecastService } from '../../src/forecast/forecast-service';
import { iso } from '../../src/time/iso';

/** `GET /v1/forecasts/{name}?horizon=30m`: served from the forecast cache. */
export function forecastRoutes(service: ForecastService): Router {
  const router = Router();
  router.get('/v1/forecasts/:name', (req: Request<{ name: string }>, res) => {
    const horizon = parseHorizon(req.query['horizon']);
    const f = service.forecast(req.params.name, horizon);
    res.json({
      series: f.series,
      model: f.model,
      generatedAt: iso(f.generatedAtMs),
      step: f.stepSeconds,
      horizon: f.horizonSeconds,
      stale: f.stale,
      ...(f.fallbackReason !== undefined ? { fallbackReason: f.fallbackReason } : {}),
      // Present only while the trust gate holds the series at its last observation (docs/accuracy.md).
      ...(f.trustFallback ? { trustFallback: { reason: f.trustFallback.reason, detail: f.trustFallback.detail, since: iso(f.trustFallback.sinceMs) } } : {}),
      lastObserved: { t: iso(f.lastObserved.t), v: f.lastObserved.v },
      points: f.points.map((p) => ({ t: iso(p.t), value: p.value, quantiles: p.quantiles })),
    });
  });
  return router;
}

function parseHorizon(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const seconds = typeof raw === 'string' ? parseDurationSeconds(raw) : null;
  // parseDurationSeconds refuses fractions of a second, so `0.1s` cannot become a horizon of 0.
  if (seconds === null) throw invalidInput('horizon', `"${String(raw)}" is not a duration of whole seconds, at least 1s (e.g. 30s, 30m, 1h)`);
  return seconds;
}
