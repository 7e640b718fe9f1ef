import { availableParallelism } from 'node:os';
import { parseConfig } from '../../../src/config/load-config';

describe('forecast.workers', () => {
  it('defaults to cores − 1, at least 1', () => {
    expect(parseConfig({}).forecast.workers).toBe(Math.max(1, availableParallelism() - 1));
  });

  it('accepts a whole number of workers', () => {
    expect(parseConfig({ forecast: { workers: 3 } }).forecast.workers).toBe(3);
  });

  it.each([0, 1.5, 65])('refuses %s, naming forecast.workers', (workers) => {
    expect(() => parseConfig({ forecast: { workers } })).toThrow(/forecast\.workers/);
  });
});
