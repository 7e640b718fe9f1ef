import { normalQuantile } from '../../../models/core/normal-quantile';

describe('normalQuantile', () => {
  it.each([
    [0.5, 0],
    [0.8413447460685429, 1],
    [0.9, 1.2815515655446004],
    [0.975, 1.959963984540054],
    [0.001, -3.090232306167813],
    [1e-9, -5.997807015007686],
  ])('Φ⁻¹(%s) = %s', (p, z) => {
    expect(normalQuantile(p)).toBeCloseTo(z, 7);
  });

  it('is antisymmetric around 0.5', () => {
    for (const p of [0.01, 0.1, 0.3, 0.49]) expect(normalQuantile(p)).toBeCloseTo(-normalQuantile(1 - p), 10);
  });

  it('refuses probabilities outside (0, 1)', () => {
    for (const p of [0, 1, -0.1, Number.NaN]) expect(() => normalQuantile(p)).toThrow(RangeError);
  });
});
