import { describe, expect, it } from 'vitest';
import { meanAndStd } from '../../../src/lib/widget/summary';

describe('meanAndStd', () => {
  it('gives the mean and the population standard deviation (divides by n)', () => {
    const { mean, std } = meanAndStd(Float32Array.from([2, 4, 4, 4, 5, 5, 7, 9]));
    expect(mean).toBe(5);
    expect(std).toBe(2);
  });
});
