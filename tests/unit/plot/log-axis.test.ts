import { describe, expect, it } from 'vitest';
import { oneTwoFive } from '../../../src/lib/plot/log-axis';

describe('oneTwoFive', () => {
  it('lists 1, 2 and 5 times each power of ten inside the range, as plain decimals', () => {
    expect(oneTwoFive(0.004, 0.7)).toEqual([0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5]);
    expect(oneTwoFive(1, 256)).toEqual([1, 2, 5, 10, 20, 50, 100, 200]);
  });

  it('keeps the ends when they are ticks themselves, and gives nothing for a range between two ticks', () => {
    expect(oneTwoFive(0.2, 5)).toEqual([0.2, 0.5, 1, 2, 5]);
    expect(oneTwoFive(0.21, 0.49)).toEqual([]);
  });
});
