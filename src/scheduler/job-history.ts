/** The training record of one series. Times are epoch ms. */
export interface SeriesJobRecord {
  series: string;
  lastStartMs: number | null;
  lastSuccessMs: number | null;
  lastFailureMs: number | null;
  /** Seconds the last finished run took. */
  lastDurationSeconds: number | null;
  lastResult: 'success' | 'failure' | null;
  lastError: string | null;
  runs: number;
  failures: number;
}

/** Training runs per series, kept in memory (the registry holds the models themselves). */
export class JobHistory {
  private readonly records = new Map<string, SeriesJobRecord>();

  started(series: string, atMs: number): void {
    this.record(series).lastStartMs = atMs;
  }

  succeeded(series: string, atMs: number, durationSeconds: number): void {
    Object.assign(this.record(series), { lastSuccessMs: atMs, lastDurationSeconds: durationSeconds, lastResult: 'success', lastError: null });
    this.record(series).runs += 1;
  }

  failed(series: string, atMs: number, durationSeconds: number, error: string): void {
    const r = this.record(series);
    Object.assign(r, { lastFailureMs: atMs, lastDurationSeconds: durationSeconds, lastResult: 'failure', lastError: error });
    r.runs += 1;
    r.failures += 1;
  }

  all(): SeriesJobRecord[] {
    return [...this.records.values()].map((r) => ({ ...r }));
  }

  private record(series: string): SeriesJobRecord {
    let r = this.records.get(series);
    if (!r) {
      r = { series, lastStartMs: null, lastSuccessMs: null, lastFailureMs: null, lastDurationSeconds: null, lastResult: null, lastError: null, runs: 0, failures: 0 };
      this.records.set(series, r);
    }
    return r;
  }
}
