import { parseConfig } from '../../../src/config/load-config';
import { PrescaleError } from '../../../src/errors/prescale-error';
import { SeriesCatalog } from '../../../src/forecast/series-catalog';

const config = parseConfig({ series: [{ name: 'b', step: '1m' }, { name: 'a', step: '5m' }] });

function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('series catalog', () => {
  it('answers the config of a configured series', () => {
    expect(new SeriesCatalog(config.series).get('a')).toMatchObject({ name: 'a', step: 300 });
  });

  it('lists names and configs in config order', () => {
    const catalog = new SeriesCatalog(config.series);

    expect(catalog.names()).toEqual(['b', 'a']);
    expect(catalog.all().map((s) => s.name)).toEqual(['b', 'a']);
  });

  it.each([
    ['the name path parameter by default', undefined, 'name'],
    ['the field the caller names', 'series', 'series'],
  ])('refuses an unknown series with SERIES_NOT_FOUND blaming %s', (_label, field, expected) => {
    const err = thrown(() => new SeriesCatalog(config.series).get('nope', field));

    expect(err).toBeInstanceOf(PrescaleError);
    expect(err).toMatchObject({ code: 'SERIES_NOT_FOUND', field: expected, message: 'series "nope" is not configured' });
  });
});
