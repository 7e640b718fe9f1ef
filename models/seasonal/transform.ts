/**
 * Variance-stabilising transform. Load (request rates, queue lengths) is non-negative and
 * its noise grows with its level, so non-negative series are modelled as log1p(y): daily
 * shapes become additive and intervals scale with the level. Series with negative values
 * stay as they are.
 */
export type TransformKind = 'log1p' | 'identity';

export function chooseTransform(values: ArrayLike<number>): TransformKind {
  for (let i = 0; i < values.length; i++) if ((values[i] as number) < 0) return 'identity';
  return 'log1p';
}

export function forward(kind: TransformKind, values: ArrayLike<number>): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    out[i] = kind === 'log1p' ? Math.log1p(v) : v;
  }
  return out;
}

export function inverse(kind: TransformKind, z: number): number {
  return kind === 'log1p' ? Math.max(0, Math.expm1(z)) : z;
}
