import { describe, expect, it } from 'vitest';
import { binCounts, countCeiling } from '../../../src/lib/plot/histogram';

describe('binCounts', () => {
  it('counts each value in its equal-width bin and the upper edge in the last bin', () => {
    const { counts, offAxis } = binCounts([0, 0.49, 0.5, 1.99, 2, 3.999, 4], [0, 4], 4);
    // Bins [0,1) [1,2) [2,3) [3,4]
    expect(Array.from(counts)).toEqual([3, 1, 1, 2]);
    expect(offAxis).toBe(0);
  });

  it('counts values outside the domain and non-finite values as off the axis', () => {
    const { counts, offAxis } = binCounts([-0.001, 4.001, Number.NaN, Number.POSITIVE_INFINITY, 1], [0, 4], 4);
    expect(Array.from(counts)).toEqual([0, 1, 0, 0]);
    expect(offAxis).toBe(4);
  });

  it('agrees with a direct count over many random values', () => {
    const values = Array.from({ length: 5000 }, (_, i) => Math.sin(i * 12.9898) * 7);
    const { counts, offAxis } = binCounts(values, [-5, 5], 40);
    const expected = new Array(40).fill(0);
    let outside = 0;
    for (const v of values) {
      if (v < -5 || v > 5) outside++;
      else expected[Math.min(39, Math.floor((v + 5) / 0.25))]++;
    }
    expect(Array.from(counts)).toEqual(expected);
    expect(offAxis).toBe(outside);
    expect(counts.reduce((a, c) => a + c, 0) + offAxis).toBe(values.length);
  });
});

describe('countCeiling', () => {
  it('rounds up to the next round step', () => {
    expect([0, 1, 2, 3, 5, 7, 9, 10, 11, 21, 51, 61, 81, 99, 100, 101, 580, 1024].map(countCeiling)).toEqual([1, 1, 2, 3, 5, 8, 10, 10, 20, 30, 60, 80, 100, 100, 100, 200, 600, 2000]);
  });
});
