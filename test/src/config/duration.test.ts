import { formatDuration, parseDurationSeconds } from '../../../src/config/duration';

describe('durations', () => {
  it.each<[string, number]>([
    ['30s', 30],
    ['1m', 60],
    ['5m', 300],
    ['1h', 3600],
    ['1h30m', 5400],
    ['14d', 1_209_600],
    ['1w', 604_800],
    ['1.5h', 5400],
    ['0.1m', 6],
    [' 2m ', 120],
  ])('parses %j as %i seconds', (text, seconds) => {
    expect(parseDurationSeconds(text)).toBe(seconds);
  });

  it.each(['', '5', 'm', '5 m', '5min', '-5m', '0s', 'five minutes', '1h-30m', '5M', '0.1s', '0.4s', '1.5s', '0.001m'])('rejects %j: not a duration, or not whole seconds', (text) => {
    expect(parseDurationSeconds(text)).toBeNull();
  });

  it.each<[number, string]>([
    [90, '1m30s'],
    [3600, '1h'],
    [86_400 + 60, '1d1m'],
    [0, '0s'],
  ])('formats %i seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
