/**
 * IEEE 754 binary16 ("half", float16) arithmetic, emulated exactly in doubles: every result is
 * rounded to the nearest float16 (ties to even), as a float16 unit would round it. Used to show
 * why mixed-precision training keeps BN's statistics in float32.
 */

/** The largest finite float16: (2 − 2⁻¹⁰)·2¹⁵. */
export const FLOAT16_MAX = 65504;
/** The smallest positive normal float16, 2⁻¹⁴; below it the spacing stays 2⁻²⁴ (subnormals). */
export const FLOAT16_MIN_NORMAL = 2 ** -14;
/** The smallest positive float16 (a subnormal), 2⁻²⁴ ≈ 5.96e-8; half of it rounds to 0. */
export const FLOAT16_MIN_SUBNORMAL = 2 ** -24;

/** Rounds to the nearest integer, ties to the even one (x ≥ 0). */
function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const rest = x - floor;
  if (rest > 0.5) return floor + 1;
  if (rest < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** x rounded to the nearest float16 (ties to even), as a double. Infinity past the largest. */
export function toFloat16(x: number): number {
  if (Number.isNaN(x) || x === 0 || !Number.isFinite(x)) return x;
  const sign = x < 0 ? -1 : 1;
  const a = Math.abs(x);
  // Halfway between FLOAT16_MAX and 2¹⁶ (the next value the format would have) rounds up: ∞.
  if (a >= 65520) return sign * Infinity;
  let exponent = Math.max(-14, Math.floor(Math.log2(a)));
  // log2 can land one off near powers of two.
  if (exponent > -14 && 2 ** exponent > a) exponent -= 1;
  if (2 ** (exponent + 1) <= a) exponent += 1;
  // 10 fraction bits: the spacing is 2^(exponent − 10), and 2⁻²⁴ for the subnormals.
  const spacing = 2 ** (exponent - 10);
  return sign * roundHalfEven(a / spacing) * spacing;
}

/** The emulation, or the browser's own Math.f16round where it has one (they agree; unit-tested). */
export const f16round: (x: number) => number = (Math as unknown as { f16round?: (x: number) => number }).f16round ?? toFloat16;

/**
 * A sum in float16 as a parallel reduction computes it: pairwise, every partial sum rounded to
 * float16 (the inputs are rounded first).
 */
export function sumFloat16(values: ArrayLike<number>): number {
  let level = Array.from(values, (v) => f16round(v));
  if (level.length === 0) return 0;
  while (level.length > 1) {
    const next: number[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? f16round(level[i]! + level[i + 1]!) : level[i]!);
    level = next;
  }
  return level[0]!;
}

export interface Float16Moments {
  mean: number;
  /** Biased variance (divided by n), every operation in float16. */
  variance: number;
  /** Σx² as float16 holds it (one-pass only): ∞ once it passes FLOAT16_MAX. */
  sumOfSquares?: number;
}

/**
 * One pass, as a fused kernel does it: Σx and Σx² in float16, then E[x²] − E[x]². Each square
 * below about 2⁻²⁵ underflows to 0, and Σx² overflows past 65504.
 */
export function momentsFloat16OnePass(values: ArrayLike<number>): Float16Moments {
  const n = values.length;
  const xs = Array.from(values, (v) => f16round(v));
  const sum = sumFloat16(xs);
  const sumOfSquares = sumFloat16(xs.map((x) => f16round(x * x)));
  const mean = f16round(sum / n);
  const meanSquare = f16round(sumOfSquares / n);
  return { mean, variance: f16round(meanSquare - f16round(mean * mean)), sumOfSquares };
}

/** Two passes: the mean first, then the mean of squared deviations, every step in float16. */
export function momentsFloat16TwoPass(values: ArrayLike<number>): Float16Moments {
  const n = values.length;
  const xs = Array.from(values, (v) => f16round(v));
  const mean = f16round(sumFloat16(xs) / n);
  const squares = xs.map((x) => {
    const d = f16round(x - mean);
    return f16round(d * d);
  });
  return { mean, variance: f16round(sumFloat16(squares) / n) };
}

/** The exact (double) mean and biased variance, two passes: the reference both are held against. */
export function momentsExact(values: ArrayLike<number>): { mean: number; variance: number } {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (values[i]! - mean) ** 2;
  return { mean, variance: squares / n };
}
