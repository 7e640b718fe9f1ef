import { blockMeans, blockSteps, expandBlocks, withinBlockSd } from '../../../models/mstl/block-means';

describe('MSTL block means', () => {
  it('chooses the most steps within the block length that divide a day', () => {
    expect(blockSteps(60, 1440, 300)).toBe(5);
    expect(blockSteps(30, 2880, 300)).toBe(10);
    // 7 steps of 40 s fit in 300 s, but 2160 steps a day are not a whole number of sevens.
    expect(blockSteps(40, 2160, 300)).toBe(6);
    expect(blockSteps(300, 288, 300)).toBe(1);
    expect(blockSteps(3600, 24, 300)).toBe(1);
  });

  it('averages blocks aligned to the newest value, dropping a partial first block', () => {
    expect(Array.from(blockMeans([100, 1, 2, 3, 4, 5, 6], 3))).toEqual([2, 5]);
  });

  it('measures the spread around each block mean over the newest blocks only', () => {
    const values = [0, 10, 1, 3, 5, 5];
    const means = blockMeans(values, 2);
    expect(withinBlockSd(values, means, 2, 1)).toBe(0);
    expect(withinBlockSd(values, means, 2, 3)).toBeCloseTo(Math.sqrt((25 + 25 + 1 + 1) / 6), 12);
  });

  it('reads block forecasts back at the step, linear between block centres from the last observed block', () => {
    // Blocks of 2: the last observed block (mean 0) centres half a step before the last value,
    // forecast block 0 (mean 10) on steps 1–2, block 1 (mean 20) on steps 3–4.
    const steps = expandBlocks([10, 20], 0, 2, 5);
    expect(steps).toEqual([7.5, 12.5, 17.5, 20, 20]);
  });

  it('leaves a flat forecast flat and keeps its level', () => {
    expect(expandBlocks([4, 4, 4], 4, 5, 12)).toEqual(Array.from({ length: 12 }, () => 4));
  });
});
