import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, BnInputError, parseBatch } from '../../../src/lib/bn';
import { traceBatchNorm } from '../../../src/lib/bn/trace';
import { close, tf, useCpu } from './setup';

beforeAll(useCpu);

describe('the mathjs trace', () => {
  it('is exact on exact inputs: [1, 2, 3, 4] has μ = 2.5 and σ² = 1.25', () => {
    const t = traceBatchNorm([1, 2, 3, 4], { gamma: 1, beta: 0, eps: 1e-5 });
    expect(t.mean.exact).toBe('2.5');
    expect(t.varianceBiased.exact).toBe('1.25');
    expect(t.varianceUnbiased.exact).toBe('1.666666666666666666666666666666666666666666666666666666666666667');
    expect(t.variancePlusEps.exact).toBe('1.25001');
    expect(t.deviations.map((d) => d.exact)).toEqual(['-1.5', '-0.5', '0.5', '1.5']);
  });

  it('keeps every intermediate, exact up to σ² + ε', () => {
    const t = traceBatchNorm([1, 2, 3, 4], { gamma: 2, beta: 0.5, eps: 1e-5 });
    expect(t.m).toBe(4);
    expect(t.sum.exact).toBe('10');
    expect(t.squaredDeviations.map((d) => d.exact)).toEqual(['2.25', '0.25', '0.25', '2.25']);
    expect(t.squaredSum.exact).toBe('5');
    expect(t.eps.exact).toBe('0.00001');
    expect(t.std.value).toBeCloseTo(Math.sqrt(1.25001), 14);
    expect(t.normalized[0]!.value).toBeCloseTo(-1.5 / Math.sqrt(1.25001), 14);
    expect(t.output[3]!.value).toBeCloseTo((2 * 1.5) / Math.sqrt(1.25001) + 0.5, 14);
    // 64 significant digits: √ is rounded, not truncated to float64.
    expect(t.std.exact.replace(/^0\.|\./, '').length).toBeGreaterThanOrEqual(60);
  });

  it('takes decimal strings digit for digit, beyond what a float64 holds', () => {
    const t = traceBatchNorm(['0.1000000000000000000001', '0.3'], { gamma: '1', beta: '0', eps: '1e-5' });
    expect(t.sum.exact).toBe('0.4000000000000000000001');
    expect(t.deviations[1]!.exact).toBe('0.09999999999999999999995');
  });

  it('keeps decimals exact where float64 cannot: 0.1 + 0.2', () => {
    const t = traceBatchNorm([0.1, 0.2], { gamma: 1, beta: 0, eps: 1e-5 });
    expect(t.sum.exact).toBe('0.3');
    expect(t.mean.exact).toBe('0.15');
  });

  it('a constant batch traces to x̂ = 0 and y = β exactly', () => {
    const t = traceBatchNorm([5, 5, 5], { gamma: 3, beta: 0.25, eps: 1e-5 });
    expect(t.varianceBiased.exact).toBe('0');
    expect(t.normalized.map((v) => v.exact)).toEqual(['0', '0', '0']);
    expect(t.output.map((v) => v.exact)).toEqual(['0.25', '0.25', '0.25']);
  });

  it('agrees with tfjs float32 within 1e-6 (relative)', () => {
    const x = [3.25, -1.5, 8, 0.125, 2, 2.5, -7];
    const t = traceBatchNorm(x, { gamma: -1.5, beta: 0.75, eps: 1e-3 });
    const r = batchNormTrain(tf.tensor2d(x, [x.length, 1]), { gamma: tf.tensor1d([-1.5]), beta: tf.tensor1d([0.75]), eps: 1e-3 });
    close(r.mean.dataSync(), [t.mean.value], 1e-6);
    close(r.varianceBiased.dataSync(), [t.varianceBiased.value], 1e-6);
    close(r.y.dataSync(), t.output.map((v) => v.value), 1e-6);
  });
});

describe('parseBatch', () => {
  it('accepts commas, spaces and newlines', () => {
    expect(parseBatch('1, 2 3\n-4.5,1e-3')).toEqual([1, 2, 3, -4.5, 0.001]);
  });
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['7', /one value has zero variance/],
    ['1, abc', /"abc" is not a number/],
    ['1, NaN', /not a finite number/],
    ['1, Infinity', /not a finite number/],
    ['1, 1e400', /too large/],
    ['1; 2', /"1;2" is not a number|"1;" is not a number/],
    ['1, 0x1F', /"0x1F" is not a number/],
    ['1, <script>', /is not a number/],
    [Array.from({ length: 4097 }, () => '1').join(','), /most this page traces is 4096/],
  ])('rejects %j with a clear message', (text, message) => {
    expect(() => parseBatch(text)).toThrow(BnInputError);
    expect(() => parseBatch(text)).toThrow(message);
  });
});
