import type { Forecaster, FittedForecaster, ModelArtifact } from './core/forecaster';
import { FittedSeasonal, SEASONAL, SeasonalForecaster } from './seasonal/seasonal';
import { FittedSeasonalNaive, SEASONAL_NAIVE, SeasonalNaiveForecaster } from './seasonal-naive/seasonal-naive';

/** What a model kind offers: a new unfitted forecaster, and a fitted one rebuilt from its artifact. */
export interface ModelKind {
  /** @param horizonSteps the longest horizon the fitted model will be asked for. */
  create(options: { horizonSteps: number }): Forecaster;
  fromArtifact(artifact: ModelArtifact): FittedForecaster;
}

/** Every model kind, sorted by name; written by hand so adding a model is one visible line. */
export const MODEL_KINDS: Readonly<Record<string, ModelKind>> = {
  [SEASONAL]: {
    create: ({ horizonSteps }) => new SeasonalForecaster({ horizonSteps }),
    fromArtifact: (a) => FittedSeasonal.fromArtifact(a),
  },
  [SEASONAL_NAIVE]: {
    create: () => new SeasonalNaiveForecaster(),
    fromArtifact: (a) => FittedSeasonalNaive.fromArtifact(a),
  },
};

export function modelKindNames(): string[] {
  return Object.keys(MODEL_KINDS).sort();
}

/** @throws {RangeError} naming the known kinds when `name` is not one of them. */
export function modelKind(name: string): ModelKind {
  const kind = MODEL_KINDS[name];
  if (!kind) throw new RangeError(`unknown model "${name}" (known: ${modelKindNames().join(', ')})`);
  return kind;
}
