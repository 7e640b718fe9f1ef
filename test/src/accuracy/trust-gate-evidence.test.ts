import type { Forecast, RegularSeries } from '../../../models/core/forecaster';
import { scoresOf } from '../../../src/accuracy/score-sums';
import { SeriesAccuracy } from '../../../src/accuracy/series-accuracy';
import { OPEN_GATE, REACTIVE_DEMAND_TEXT, judgedEvidence, stepTrustGate, trustFallbackDetail } from '../../../src/accuracy/trust-gate';
import { trustGateSchema } from '../../../src/config/trust-gate-schema';
import { readTrace } from '../../helpers/trace-file';

/**
 * Which window the trust gate judges (`judgedEvidence`), on shipped traces scored by the real
 * `SeriesAccuracy`: the configured window while it holds `minPoints` scored targets, the next
 * longer one otherwise. Each forecast covers two steps (two horizon buckets on an hourly
 * series, as the bench replay's and an hourly service's forecasts do), so every target is
 * scored twice and points are twice the targets.
 */
const LEVELS = [0.5, 0.9];
const config = trustGateSchema.parse({});

/** Scores `steps` refreshes of `trace` from step `from`: each forecasts the next two steps as `factor` × the value a day before them. */
function score(file: string, stepSeconds: number, from: number, steps: number, factor: number): { acc: SeriesAccuracy; nowMs: number; history: RegularSeries } {
  const samples = readTrace(file);
  const values = samples.map((s) => s.v);
  const startMs = samples[0]!.t;
  const day = 86_400 / stepSeconds;
  const acc = new SeriesAccuracy(LEVELS, stepSeconds);
  let history: RegularSeries = { startMs, stepSeconds, timezone: 'UTC', values: [] };
  let nowMs = startMs;
  for (let i = from; i < from + steps; i++) {
    history = { ...history, values: values.slice(0, i + 1) };
    nowMs = startMs + i * stepSeconds * 1000;
    const mean = [1, 2].map((k) => factor * (values[i + k - day] as number));
    const forecast: Forecast = { startMs: nowMs + stepSeconds * 1000, stepSeconds, mean, quantiles: { '0.5': mean, '0.9': mean.map((v) => v * 1.2) }, model: 'test' };
    acc.observe(history, forecast, nowMs);
  }
  return { acc, nowMs, history };
}

describe('judgedEvidence', () => {
  it('an hourly series: "24 h" holds 23 targets (46 points), too few, so the gate judges 7 d and reads its scores', () => {
    const { acc, nowMs } = score('mscm_purchase_count_04.csv', 3600, 7 * 24, 5 * 24, 1);
    expect(acc.sums('24h', nowMs).count).toBeGreaterThanOrEqual(config.minPoints);
    const evidence = judgedEvidence(acc, LEVELS, config, nowMs);
    expect(evidence.window).toBe('7d');
    expect(evidence.targets).toBeGreaterThan(100);
    expect(evidence.targets).toBeLessThanOrEqual(5 * 24);
    expect(evidence.scores).toEqual(scoresOf(acc.sums('7d', nowMs), LEVELS));
  });

  it('a 5-minute series keeps its configured 24 h window (276–288 targets)', () => {
    const { acc, nowMs } = score('nab_elb_request_count_8c0756.csv', 300, 2 * 288, 2 * 288, 1);
    const evidence = judgedEvidence(acc, LEVELS, config, nowMs);
    expect(evidence.window).toBe('24h');
    expect(evidence.targets).toBeGreaterThanOrEqual(276);
    expect(evidence.scores).toEqual(scoresOf(acc.sums('24h', nowMs), LEVELS));
  });

  it('a forecast ten times too high is not judged on 20 targets scored twice, and is judged (and gated) once 30 targets are scored', () => {
    const early = score('mscm_purchase_count_04.csv', 3600, 7 * 24, 22, 10);
    expect(early.acc.sums('24h', early.nowMs).count).toBeGreaterThanOrEqual(config.minPoints);
    const evidenceEarly = judgedEvidence(early.acc, LEVELS, config, early.nowMs);
    expect(evidenceEarly).toMatchObject({ window: '24h', targets: 20 });
    const options = { config, upperQuantile: 0.9, nowMs: early.nowMs };
    expect(stepTrustGate(OPEN_GATE, evidenceEarly, options)).toBe(OPEN_GATE);
    // The same scores as bare pooled points (the earlier rule) would have engaged.
    expect(stepTrustGate(OPEN_GATE, evidenceEarly.scores, options).engaged).toBe(true);

    const later = score('mscm_purchase_count_04.csv', 3600, 7 * 24, 34, 10);
    const evidence = judgedEvidence(later.acc, LEVELS, config, later.nowMs);
    expect(evidence).toMatchObject({ window: '7d', targets: 32 });
    const gate = stepTrustGate(OPEN_GATE, evidence, { ...options, nowMs: later.nowMs });
    expect(gate).toMatchObject({ engaged: true, reason: 'mase-ratio', window: '7d' });
    expect(gate.maseRatio).toBeGreaterThan(5);
    const detail = trustFallbackDetail(gate, config, 0.9);
    expect(detail).toContain('seasonal-naive\'s over 7d');
    expect(detail).toContain(REACTIVE_DEMAND_TEXT);
  });
});
