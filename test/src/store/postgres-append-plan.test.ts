import type { AppendItem } from '../../../src/store/group-commit';
import { planAppendStatements } from '../../../src/store/postgres-append-plan';

const item = (series: string, ...tv: [number, number][]): AppendItem => ({ series, samples: tv.map(([t, v]) => ({ t, v })) });

it('puts distinct series in one statement, sorted, each with its samples in time order and the last value of a repeated time', () => {
  const [only, ...rest] = planAppendStatements([item('web', [3, 1], [1, 1], [3, 9]), item('api', [2, 5])], 1000);

  expect(rest).toEqual([]);
  expect(only).toEqual({ items: [1, 0], series: ['api', 'web'], seriesIndex: [1, 2, 2], t: [2, 1, 3], v: [5, 1, 9] });
});

it("moves a series' second batch to a later statement, so the batches apply in order", () => {
  const plans = planAppendStatements([item('a', [1, 1]), item('b', [1, 1]), item('a', [1, 2]), item('c', [1, 1])], 1000);

  expect(plans.map((p) => p.items)).toEqual([[0, 1], [2, 3]]);
  expect(plans[1]?.v).toEqual([2, 1]);
});

it('starts a new statement when the samples would pass the limit, but keeps a larger batch whole', () => {
  const big = item('big', ...Array.from({ length: 5 }, (_, t): [number, number] => [t, t]));
  const plans = planAppendStatements([item('a', [1, 1], [2, 2]), item('b', [1, 1]), big, item('c', [1, 1])], 3);

  expect(plans.map((p) => p.items)).toEqual([[0, 1], [2], [3]]);
  expect(plans[1]?.t).toHaveLength(5);
});

it('plans nothing for no appends', () => {
  expect(planAppendStatements([], 10)).toEqual([]);
});
