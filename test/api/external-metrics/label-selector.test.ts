import { parseLabelSelector, selectorPins } from '../../../api/external-metrics/label-selector';

describe('parseLabelSelector', () => {
  it.each([
    ['', []],
    ['horizon=5m', [{ key: 'horizon', operator: '=', values: ['5m'] }]],
    ['horizon==5m', [{ key: 'horizon', operator: '=', values: ['5m'] }]],
    ['aggregate=max,horizon=5m,quantile=0.9', [
      { key: 'aggregate', operator: '=', values: ['max'] },
      { key: 'horizon', operator: '=', values: ['5m'] },
      { key: 'quantile', operator: '=', values: ['0.9'] },
    ]],
    ['quantile in (0.5,0.9)', [{ key: 'quantile', operator: 'in', values: ['0.5', '0.9'] }]],
    ['quantile notin (0.5), horizon', [
      { key: 'quantile', operator: 'notin', values: ['0.5'] },
      { key: 'horizon', operator: 'exists', values: [] },
    ]],
    ['!horizon', [{ key: 'horizon', operator: '!', values: [] }]],
    ['app!=web', [{ key: 'app', operator: '!=', values: ['web'] }]],
    ['replicas>3', [{ key: 'replicas', operator: '>', values: ['3'] }]],
    ['prescale.dev/tier=gold', [{ key: 'prescale.dev/tier', operator: '=', values: ['gold'] }]],
    ['empty=', [{ key: 'empty', operator: '=', values: [''] }]],
  ])('parses %p', (text, expected) => {
    expect(parseLabelSelector(text)).toEqual(expected);
  });

  it.each(['horizon in (5m', 'horizon=5m,', ',horizon=5m', 'a b=c', 'horizon=5 m', 'x>y', '=5m', 'UPPER/key=x', 'k=-bad'])('rejects %p naming labelSelector', (text) => {
    expect(() => parseLabelSelector(text)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT', field: 'labelSelector' }));
  });
});

describe('selectorPins', () => {
  it('turns equality requirements (and single-value in) into pins', () => {
    expect(selectorPins(parseLabelSelector('horizon=5m,quantile in (0.9)'))).toEqual({ horizon: '5m', quantile: '0.9' });
  });

  it.each(['quantile in (0.5,0.9)', 'quantile!=0.5', 'horizon', '!horizon', 'quantile notin (0.5)'])(
    'refuses %p: it could match several items and the HPA sums every item',
    (text) => {
      expect(() => selectorPins(parseLabelSelector(text))).toThrow(/exactly one/);
    },
  );

  it('refuses a key pinned to two values', () => {
    expect(() => selectorPins(parseLabelSelector('horizon=5m,horizon=10m'))).toThrow(expect.objectContaining({ field: 'labelSelector.horizon' }));
  });
});
