import type { SeriesConfig } from '../config/schema';
import { PrescaleError } from '../errors/prescale-error';

/**
 * The configured series by name: the one place that answers "is this a series, and what
 * are its settings". Every lookup of an unknown name fails the same way.
 */
export class SeriesCatalog {
  private readonly byName: ReadonlyMap<string, SeriesConfig>;
  private readonly ordered: readonly SeriesConfig[];
  private readonly positions: ReadonlyMap<string, number>;

  constructor(series: readonly SeriesConfig[]) {
    this.byName = new Map(series.map((s) => [s.name, s]));
    this.ordered = [...this.byName.values()];
    this.positions = new Map(this.ordered.map((s, i) => [s.name, i]));
  }

  /**
   * The config of a series.
   * @param field the input field to blame in the error (`name` for a path parameter by default).
   * @throws {PrescaleError} SERIES_NOT_FOUND.
   */
  get(name: string, field = 'name'): SeriesConfig {
    const s = this.byName.get(name);
    if (!s) throw new PrescaleError('SERIES_NOT_FOUND', `series "${name}" is not configured`, field);
    return s;
  }

  /** Series names in config order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Series configs in config order. */
  all(): SeriesConfig[] {
    return [...this.ordered];
  }

  /** Series configs `from` (inclusive) to `to` (exclusive) in config order. */
  slice(from: number, to: number): SeriesConfig[] {
    return this.ordered.slice(from, to);
  }

  /** Position of a series in config order; undefined for an unknown name. */
  positionOf(name: string): number | undefined {
    return this.positions.get(name);
  }

  get size(): number {
    return this.ordered.length;
  }
}
