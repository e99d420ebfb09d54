/**
 * The variance shift of Li, Chen, Hu & Yang (2019) for inverted dropout (keep with probability
 * 1 − p, scale by 1/(1 − p)) on a unit with mean μ and variance σ². In training the unit's
 * variance is E[x²]/(1 − p) − μ²; at inference dropout is off and it is σ². A BN layer after the
 * dropout stores the training variance, so at inference it scales by 1/√(training variance)
 * and its output's variance is σ² / training variance (< 1 whenever p > 0), not 1.
 */
export function dropoutVarianceShift(mean: number, variance: number, p: number): { trainVariance: number; evalVariance: number; bnOutputVariance: number } {
  if (!(p >= 0 && p < 1)) throw new RangeError('the dropout rate must be in [0, 1)');
  const trainVariance = (variance + mean * mean) / (1 - p) - mean * mean;
  return { trainVariance, evalVariance: variance, bnOutputVariance: variance / trainVariance };
}
