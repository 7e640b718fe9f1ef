import { runForecastJob } from '../../../src/forecast/forecast-runner';
import { readSeriesFile } from '../read-series-file';

export interface ForecastCommandOptions {
  /** The series step; the file's own (median spacing) when absent. */
  stepSeconds?: number | undefined;
  horizonSeconds: number;
  timezone: string;
  kind: 'rate' | 'gauge';
  model: string;
  quantiles: number[];
  json: boolean;
}

/** `prescale forecast FILE|- [--step D] --horizon D [--json]`: fits on the whole file and prints the forecast. */
export async function forecastCommand(file: string, options: ForecastCommandOptions, out: NodeJS.WritableStream): Promise<number> {
  const series = readSeriesFile(file, { stepSeconds: options.stepSeconds, kind: options.kind, timezone: options.timezone });
  const horizonSteps = Math.max(1, Math.ceil(options.horizonSeconds / series.stepSeconds));
  const forecast = await runForecastJob({
    model: options.model,
    series,
    horizonSteps,
    quantiles: options.quantiles,
    seasonalities: ['daily', 'weekly'],
  });
  const keys = options.quantiles.map(String);
  const points = forecast.mean.map((value, i) => ({
    t: new Date(forecast.startMs + i * forecast.stepSeconds * 1000).toISOString(),
    value,
    quantiles: Object.fromEntries(keys.map((k) => [k, forecast.quantiles[k]![i] as number])),
  }));
  if (options.json) {
    out.write(`${JSON.stringify({ model: forecast.model, step: forecast.stepSeconds, points }, null, 2)}\n`);
  } else {
    out.write(`timestamp,value,${keys.map((k) => `q${k}`).join(',')}\n`);
    for (const p of points) out.write(`${p.t},${round(p.value)},${keys.map((k) => round(p.quantiles[k] as number)).join(',')}\n`);
  }
  return 0;
}

function round(v: number): string {
  return Number(v.toPrecision(6)).toString();
}
