import { parseConfig } from '../../../src/config/load-config';

const series = [{ name: 'api', step: '1m' }];

describe('training config', () => {
  it('keeps 10 model versions per series unless told otherwise', () => {
    expect(parseConfig({ series }).training.keepVersions).toBe(10);
    expect(parseConfig({ series, training: { keepVersions: 3 } }).training.keepVersions).toBe(3);
  });

  it.each([0, 2.5, -1])('refuses keepVersions %p, naming the field', (keepVersions) => {
    expect(() => parseConfig({ series, training: { keepVersions } })).toThrow(/training\.keepVersions/);
  });
});
