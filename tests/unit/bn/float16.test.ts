import { describe, expect, it } from 'vitest';
import { FLOAT16_MAX, FLOAT16_MIN_NORMAL, FLOAT16_MIN_SUBNORMAL, momentsExact, momentsFloat16OnePass, momentsFloat16TwoPass, sumFloat16, toFloat16 } from '../../../src/lib/bn/float16';

describe('float16 rounding (exact emulation)', () => {
  it('rounds to the nearest float16, ties to even, with subnormals, overflow and signed values', () => {
    expect(toFloat16(1)).toBe(1);
    expect(toFloat16(0.1)).toBe(0.0999755859375);
    expect(toFloat16(1 + 2 ** -11)).toBe(1); // a tie: to the even neighbour
    expect(toFloat16(1 + 3 * 2 ** -11)).toBe(1 + 2 ** -9);
    expect(toFloat16(65504)).toBe(FLOAT16_MAX);
    expect(toFloat16(65519)).toBe(FLOAT16_MAX);
    expect(toFloat16(65520)).toBe(Infinity);
    expect(toFloat16(-1e6)).toBe(-Infinity);
    // ε = 1e-5 is a subnormal: 168 steps of 2⁻²⁴.
    expect(toFloat16(1e-5)).toBe(168 * 2 ** -24);
    expect(1e-5).toBeLessThan(FLOAT16_MIN_NORMAL);
    expect(toFloat16(2 ** -25)).toBe(0); // half the smallest subnormal: a tie, to the even 0
    expect(toFloat16(3 * 2 ** -26)).toBe(FLOAT16_MIN_SUBNORMAL);
    expect(toFloat16(-2.5e-8)).toBe(-0);
    expect(toFloat16(FLOAT16_MIN_NORMAL)).toBe(FLOAT16_MIN_NORMAL);
    expect(toFloat16(2049)).toBe(2048); // spacing 2 above 2048: a tie, to even
    expect(toFloat16(2051)).toBe(2052);
    expect(Number.isNaN(toFloat16(NaN))).toBe(true);
  });

  it('agrees with Math.f16round where the runtime has it, and is idempotent', () => {
    const f16round = (Math as unknown as { f16round?: (x: number) => number }).f16round;
    for (let i = 0; i < 2000; i++) {
      const x = (Math.sin(i * 12.9898) * 43758.5453) % 1 * 10 ** ((i % 14) - 9);
      const y = toFloat16(x);
      expect(toFloat16(y)).toBe(y);
      if (f16round) expect(y).toBe(f16round(x));
    }
  });
});

describe('BN statistics in float16', () => {
  const values = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 0.5 + 0.2);
  it('match the exact statistics at unit scale', () => {
    const exact = momentsExact(values);
    expect(momentsFloat16TwoPass(values).variance).toBeCloseTo(exact.variance, 2);
    expect(momentsFloat16OnePass(values).variance).toBeCloseTo(exact.variance, 2);
  });
  it('lose the variance of small activations (underflow) and overflow Σx² for large ones', () => {
    const small = values.map((v) => v * 1e-4);
    const exact = momentsExact(small).variance;
    expect(exact).toBeGreaterThan(1e-9);
    expect(momentsFloat16OnePass(small).variance).toBe(0);
    expect(momentsFloat16TwoPass(small).variance).toBe(0);
    const large = values.map((v) => v * 100);
    expect(momentsFloat16OnePass(large).sumOfSquares).toBe(Infinity);
    expect(sumFloat16(large.map((v) => v * v))).toBe(Infinity);
  });
});
