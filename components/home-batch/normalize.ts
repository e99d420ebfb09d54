/** Algorithm 1 on plain numbers, for the home page's figure (no tfjs there: it must stay light). */
export function normalizeBatch(x: readonly number[], eps: number): { mean: number; variance: number; xHat: number[] } {
  const mean = x.reduce((a, b) => a + b, 0) / x.length;
  const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / x.length;
  const denom = Math.sqrt(variance + eps);
  return { mean, variance, xHat: x.map((v) => (v - mean) / denom) };
}
