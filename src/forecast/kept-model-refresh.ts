import type { ModelArtifact } from '../../models/core/forecaster';
import type { SeriesConfig } from '../config/schema';
import type { HistoryStore } from '../store/history-store';
import { readHistoryWindowSteps } from '../store/history-window';
import type { Sample } from '../series/sample';
import type { CachedForecast } from './cached-forecast';
import { conditioningSpanSeconds } from './conditioning-window';
import type { FitResult } from './fit-with-fallback';
import type { StepJob, StepReply } from './fitted-models';
import { Permits } from './permits';
import type { RefitSchedule } from './refit-schedule';

/** A model a refresh can serve: `forecast.model`, or a promoted version rebuilt from its artifact. */
export interface ServedModel {
  /** `model:<kind>` or `trained:<version>`: a kept model with another key is never conditioned. */
  key: string;
  kind: string;
  artifact?: ModelArtifact;
}

/** The main thread's note of the model kept for a series in its worker. */
interface KeptNote {
  key: string;
  kind: string;
  /** When the model is due for a refit (epoch ms, `RefitSchedule`). */
  refitAtMs: number;
}

export interface KeptModelRefreshDeps {
  step: (job: StepJob) => Promise<StepReply>;
  store: Pick<HistoryStore, 'readSteps'>;
  schedule: RefitSchedule;
  /** Refits running at once: one per forecast worker, so conditionings interleave with them. */
  refitSlots: number;
  /** Starts a refresh of `series` (the backlog's way to get a waiting refit done). */
  refreshNow: (series: string) => void;
  /** Serves a series whose first fit waits in the backlog: a cheap stand-in forecast, with its reason. */
  bridge: (config: SeriesConfig, input: KeptRefreshInput) => Promise<FitResult>;
  /**
   * History a conditioning reads at least, seconds (default: only what the model needs). The
   * refresher asks for the span live accuracy scores on, so one read serves both.
   */
  minConditionReadSeconds?: number;
}

export interface KeptRefreshInput {
  last: Sample;
  horizonSteps: number;
  previous?: CachedForecast | undefined;
  nowMs: number;
}

/**
 * A series' first fit waits for a refit slot while fewer than this many (per slot) wait
 * already; beyond that it is bridged, so ten thousand cold series all have a forecast long
 * before the last of them is fitted.
 */
const WAITERS_PER_SLOT = 8;

/**
 * Refreshes series against the model kept for each in its worker: a refresh conditions the
 * kept model on a short tail of history (no fit), and a refit (the full history window) runs
 * only for a series without a kept model, when the model to serve changed (a promotion), when
 * the refit schedule says so, or on demand. Refits are rationed to `refitSlots` at once; a
 * series that cannot get a slot keeps serving what it has (conditioned) or, with nothing yet,
 * a bridge forecast, and joins a backlog that is worked off as slots free up.
 */
export class KeptModelRefresh {
  private readonly kept = new Map<string, KeptNote>();
  private readonly slots: Permits;
  /** Series waiting for a refit slot, oldest first. */
  private readonly backlog = new Set<string>();
  /** Series taken off the backlog whose refresh has not started yet. */
  private readonly pumped = new Set<string>();
  /**
   * Series taken off the backlog whose refresh is running: they wait for a slot, and count
   * against the pump until they end, so backlog refits never hold more than a few of the
   * refresher's turns (they go ahead of the queue, and the cold first pass must still get its).
   */
  private readonly pumpedRunning = new Set<string>();
  private readonly forced = new Set<string>();
  /** Refits reading their window before they wait for a slot: they count as waiting. */
  private readingToWait = 0;

  constructor(private readonly deps: KeptModelRefreshDeps) {
    this.slots = new Permits(Math.max(1, deps.refitSlots));
  }

  /** The next refresh of `series` refits, waiting for a slot if it must. */
  forceRefit(series: string): void {
    this.forced.add(series);
  }

  /** Call when a refresh of `series` starts; pass the result to {@link refreshEnded}. */
  refreshStarted(series: string): boolean {
    if (!this.pumped.delete(series)) return false;
    this.pumpedRunning.add(series);
    return true;
  }

  /**
   * Call when a refresh of `series` ended, however: a backlog entry whose refresh ended before
   * it reached `forecast` (no samples, a failed read) must not hold its place. One taken off
   * the backlog again while this refresh ran stays pumped: its own refresh is still to come.
   */
  refreshEnded(series: string, pumpedAtStart: boolean): void {
    if (pumpedAtStart && this.pumpedRunning.delete(series)) this.pump();
  }

  /** Series waiting for a refit (cold, due or with a changed model). */
  get backlogSize(): number {
    return this.backlog.size;
  }

  /**
   * A forecast of `model` for the series.
   * @throws the model's error (the kept model is then forgotten, so the next refresh refits).
   */
  async forecast(config: SeriesConfig, model: ServedModel, input: KeptRefreshInput): Promise<FitResult> {
    const name = config.name;
    const kept = this.kept.get(name);
    const mustWait = this.forced.delete(name) || this.pumpedRunning.has(name);
    const changed = kept !== undefined && kept.key !== model.key;
    if (kept && !changed && !mustWait) {
      const due = input.nowMs >= kept.refitAtMs;
      if (!due || !this.slots.tryAcquire()) {
        if (due) this.enqueue(name);
        const conditioned = await this.condition(config, model, input);
        if (conditioned) return conditioned;
        // The worker lost it (it restarted): a first fit again.
        this.kept.delete(name);
        return this.forecast(config, model, input);
      }
      return this.refitHolding(config, model, input);
    }
    if (this.slots.tryAcquire()) return this.refitHolding(config, model, input);
    // A series already served (a bridge) never waits: it refreshes its stand-in and the backlog brings its fit.
    const bridged = kept === undefined && input.previous !== undefined;
    if (mustWait || (!bridged && this.slots.waiting + this.readingToWait < this.slots.size * WAITERS_PER_SLOT)) {
      // The window is read while the slot is still busy, so the worker fits back to back.
      this.readingToWait++;
      let series: StepJob['history'];
      try {
        series = (await readHistoryWindowSteps(this.deps.store, config, input.last)).series;
        await this.slots.acquire();
      } finally {
        this.readingToWait--;
      }
      return this.refitHolding(config, model, input, series);
    }
    this.enqueue(name);
    // The model it has keeps serving until the refit (an older promoted version, say).
    if (kept) {
      const conditioned = await this.condition(config, { key: kept.key, kind: kept.kind }, input);
      if (conditioned) return conditioned;
      this.kept.delete(name);
    }
    return this.deps.bridge(config, input);
  }

  /** Conditions the kept model; null when the worker keeps none with `model.key`. */
  private async condition(config: SeriesConfig, model: ServedModel, input: KeptRefreshInput): Promise<FitResult | null> {
    const span = Math.min(config.history, Math.max(conditioningSpanSeconds(model.kind, config), this.deps.minConditionReadSeconds ?? 0));
    const { series } = await readHistoryWindowSteps(this.deps.store, { ...config, history: span }, input.last);
    const reply = await this.run(config, model, 'condition', series, input);
    return reply.outcome === 'needs-refit' ? null : { forecast: reply.forecast, series };
  }

  /** Refits with a slot already held (on `history` when read already); releases the slot and feeds the backlog. */
  private async refitHolding(config: SeriesConfig, model: ServedModel, input: KeptRefreshInput, history?: StepJob['history']): Promise<FitResult> {
    try {
      this.backlog.delete(config.name);
      const series = history ?? (await readHistoryWindowSteps(this.deps.store, config, input.last)).series;
      const reply = await this.run(config, model, 'refit', series, input);
      if (reply.outcome === 'needs-refit') throw new Error('the forecast worker refused a refit');
      this.kept.set(config.name, { key: model.key, kind: model.kind, refitAtMs: this.deps.schedule.dueAtMs(input.nowMs) });
      return { forecast: reply.forecast, series };
    } finally {
      this.slots.release();
      this.pump();
    }
  }

  private async run(config: SeriesConfig, model: ServedModel, mode: StepJob['mode'], history: StepJob['history'], input: KeptRefreshInput): Promise<StepReply> {
    try {
      return await this.deps.step({
        series: config.name,
        modelKey: model.key,
        mode,
        model: model.kind,
        ...(mode === 'refit' && model.artifact ? { artifact: model.artifact } : {}),
        history,
        horizonSteps: input.horizonSteps,
        quantiles: config.quantiles,
        seasonalities: config.seasonalities,
      });
    } catch (err) {
      // The worker dropped its model on the error; so does this note.
      this.kept.delete(config.name);
      throw err;
    }
  }

  private enqueue(name: string): void {
    this.backlog.add(name);
    this.pump();
  }

  /** Starts refreshes for the oldest backlog entries; twice the slots, so their history reads overlap the fits. */
  private pump(): void {
    while (this.backlog.size > 0 && this.pumped.size + this.pumpedRunning.size < this.slots.size * 2) {
      const name = this.backlog.values().next().value as string;
      this.backlog.delete(name);
      this.pumped.add(name);
      this.deps.refreshNow(name);
    }
  }
}
