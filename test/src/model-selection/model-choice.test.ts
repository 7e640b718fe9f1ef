import { candidateKinds, chooseServedKind } from '../../../src/model-selection/model-choice';

const score = (mase: number) => ({ mase, coverage: { '0.9': 0.9 } });
const AT = '2026-12-02T00:00:00.000Z';

describe('forecast.model auto: the kind that serves a series', () => {
  it.each([
    [3, ['seasonal-naive', 'seasonal']],
    [13.9, ['seasonal-naive', 'seasonal']],
    [14, ['seasonal-naive', 'seasonal', 'mstl', 'ensemble']],
    [60, ['seasonal-naive', 'seasonal', 'mstl', 'ensemble']],
  ])('with %d days of history, the candidates are %j', (days, kinds) => {
    expect(candidateKinds(days, 'ensemble')).toEqual(kinds);
  });

  it('names the trained kind the training config asks for', () => {
    expect(candidateKinds(30, 'lstm')).toEqual(['seasonal-naive', 'seasonal', 'mstl', 'lstm']);
  });

  it('serves the candidate with the lowest held-out MASE, and says so with every score', () => {
    const choice = chooseServedKind(
      [
        { kind: 'seasonal-naive', score: score(1) },
        { kind: 'seasonal', score: score(0.8) },
        { kind: 'mstl', score: score(0.6) },
        { kind: 'ensemble', score: score(0.7) },
      ],
      AT,
    );

    expect(choice.chosen).toBe('mstl');
    expect(choice.reason).toBe('lowest held-out MASE: mstl 0.6000, ensemble 0.7000, seasonal 0.8000, seasonal-naive 1.0000');
    expect(choice.candidates).toHaveLength(4);
    expect(choice.decidedAt).toBe(AT);
  });

  it('prefers the simpler kind on a tie, and passes over candidates without a score', () => {
    const choice = chooseServedKind(
      [
        { kind: 'ensemble', score: score(0.7) },
        { kind: 'seasonal', score: score(0.701) },
        { kind: 'mstl', score: null, skipped: 'mstl needs at least 2880 values, got 100' },
      ],
      AT,
    );

    expect(choice.chosen).toBe('seasonal');
    expect(choice.reason).toMatch(/within the tie margin/);
    expect(choice.candidates.find((c) => c.kind === 'mstl')).toMatchObject({ score: null, skipped: expect.stringContaining('2880') });
  });

  it('refuses to choose when no candidate was scored', () => {
    expect(() => chooseServedKind([{ kind: 'mstl', score: null, skipped: 'short' }], AT)).toThrow(RangeError);
  });
});
