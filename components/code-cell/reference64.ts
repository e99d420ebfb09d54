/**
 * The project's own float64 reference for exercise cases PyTorch's vectors do not cover
 * (../shared/golden has no plain standardization and no ghost batches): plain JavaScript
 * numbers, no tfjs, so it is independent of the code it checks. Rows are examples, columns
 * channels ([N, C], row-major).
 */

export interface Tensor64 {
  shape: number[];
  data: number[];
}

/** Per-column biased mean and variance (divides by N) of rows [N, C]. */
export function columnMoments(rows: number[][]): { mean: number[]; variance: number[] } {
  const n = rows.length;
  const c = rows[0]!.length;
  const mean = Array.from({ length: c }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const variance = Array.from({ length: c }, (_, j) => rows.reduce((a, r) => a + (r[j]! - mean[j]!) ** 2, 0) / n);
  return { mean, variance };
}

/** x̂ = (x − μ)/√(σ² + ε) per column, and the variance x̂ then has: σ²/(σ² + ε). */
export function standardize64(rows: number[][], eps: number): { xHat: number[][]; xHatVariance: number[] } {
  const { mean, variance } = columnMoments(rows);
  return {
    xHat: rows.map((r) => r.map((v, j) => (v - mean[j]!) / Math.sqrt(variance[j]! + eps))),
    xHatVariance: variance.map((v) => v / (v + eps)),
  };
}

/** Algorithm 1 on rows [N, C]: y = γ·x̂ + β with the batch's own biased statistics. */
export function batchNorm64(rows: number[][], gamma: number[], beta: number[], eps: number): number[][] {
  const { xHat } = standardize64(rows, eps);
  return xHat.map((r) => r.map((v, j) => gamma[j]! * v + beta[j]!));
}

/** Ghost batch norm: consecutive groups of `ghostSize` rows, each normalized by its own statistics. */
export function ghostBatchNorm64(rows: number[][], gamma: number[], beta: number[], eps: number, ghostSize: number): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < rows.length; start += ghostSize) out.push(...batchNorm64(rows.slice(start, start + ghostSize), gamma, beta, eps));
  return out;
}

/**
 * Batch Renormalization's training-mode output (Ioffe 2017, Algorithm 1): x̂ = (x − μ_B)/σ_B · r + d
 * with r = clip(σ_B/σ, 1/r_max, r_max) and d = clip((μ_B − μ)/σ, −d_max, d_max), σ_B = √(σ²_B + ε)
 * from the batch's biased variance and σ = √(running variance + ε); y = γ·x̂ + β.
 */
export function batchRenorm64(rows: number[][], gamma: number[], beta: number[], eps: number, runningMean: number[], runningVar: number[], rMax: number, dMax: number): number[][] {
  const { mean, variance } = columnMoments(rows);
  const clip = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
  const sigmaB = variance.map((v) => Math.sqrt(v + eps));
  const sigma = runningVar.map((v) => Math.sqrt(v + eps));
  const r = sigmaB.map((s, j) => clip(s / sigma[j]!, 1 / rMax, rMax));
  const d = mean.map((m, j) => clip((m - runningMean[j]!) / sigma[j]!, -dMax, dMax));
  return rows.map((row) => row.map((v, j) => gamma[j]! * (((v - mean[j]!) / sigmaB[j]!) * r[j]! + d[j]!) + beta[j]!));
}

export const matrix = (rows: number[][]): Tensor64 => ({ shape: [rows.length, rows[0]!.length], data: rows.flat() });
export const vector = (data: number[]): Tensor64 => ({ shape: [data.length], data });
