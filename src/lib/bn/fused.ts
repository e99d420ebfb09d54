import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams, BatchNormTrainResult } from './batchnorm';
import { checkAffine, checkFinite, checkTrainingBatch, channelsOf, elementsPerChannel } from './validate';

/**
 * How the op computes its value and its gradient. OPS_PASSES (below) in tfjs ops on every
 * backend; src/lib/kernels gives the same passes as one WASM kernel each way, where a step of the
 * lab's size is bound by the number of kernels.
 */
export interface FusedPasses {
  /** y and the batch statistics; `saved` is what `backward` is handed (tfjs keeps it for it). */
  forward(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, eps: number): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D; varianceUnbiased?: tf.Tensor1D; saved: tf.Tensor[] };
  /** dx, dγ, dβ. */
  backward(dy: tf.Tensor, saved: tf.Tensor[], eps: number): tf.Tensor[];
}

/** The channels-last [m, C] view of x: m values per channel. */
const rows = (x: tf.Tensor): [number, number] => [elementsPerChannel(x), channelsOf(x)];

/**
 * The passes in tfjs ops: sums over the batch axes, broadcasting mul/add/sub. With
 * a = γ·invStd, k = a·invStd²·Σ(dy·(x − μ))/m, b = a·Σdy/m the gradient is dx = dy·a − (x − μ)·k − b.
 */
export const OPS_PASSES: FusedPasses = {
  forward(x, gamma, beta, eps) {
    const [m, c] = rows(x);
    const x2 = tf.reshape(x, [m, c]) as tf.Tensor2D;
    const mean = tf.div(tf.sum(x2, 0), m) as tf.Tensor1D;
    const centered = tf.sub(x2, mean) as tf.Tensor2D;
    const variance = tf.div(tf.sum(tf.square(centered), 0), m) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const y2 = tf.add(tf.mul(centered, tf.mul(gamma, invStd)), beta);
    return { y: tf.reshape(y2, x.shape), mean, variance, saved: [centered, invStd, gamma] };
  },
  backward(dy, saved) {
    const [cen, inv, g] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
    const [m, c] = cen.shape;
    const dy2 = tf.reshape(dy, [m, c]) as tf.Tensor2D;
    const sumDy = tf.sum(dy2, 0);
    const sumDyC = tf.sum(tf.mul(dy2, cen), 0);
    const a = tf.mul(g, inv);
    const k = tf.mul(a, tf.mul(tf.square(inv), tf.div(sumDyC, m)));
    const b = tf.mul(a, tf.div(sumDy, m));
    const dx2 = tf.sub(tf.sub(tf.mul(dy2, a), tf.mul(cen, k)), b);
    return [tf.reshape(dx2, dy.shape), tf.mul(sumDyC, inv), sumDy];
  },
};

export interface FusedParams extends AffineParams {
  /** Default OPS_PASSES. */
  passes?: FusedPasses;
  /**
   * Hand the statistics back kept (tf.keep: no tidy frees them, the caller disposes them), as
   * the trainer holds them until the running averages take them, instead of as clones in the
   * caller's scope: on WASM a clone is a kernel, and kernels are what a step costs.
   */
  keepStats?: boolean;
}

/** Training-mode BN's output and the batch statistics the running averages need. */
export type FusedBatchNormResult = Omit<BatchNormTrainResult, 'xHat'>;

/**
 * Algorithm 1 as one differentiable op (tf.customGrad) whose gradient is the closed form, so
 * autodiff does not walk back through tf.moments op by op (a dozen kernels per BN layer). With
 * x̂ = (x − μ)·invStd, invStd = 1/√(σ²_B + ε), over the m values of a channel:
 *
 *   dx = γ·invStd/m · (m·dy − Σdy − x̂·Σ(dy·x̂)),  dγ = Σ(dy·x̂),  dβ = Σdy
 *
 * which is `batchNormBackward`'s result, grouped as dx = dy·a − (x − μ)·k − b with per-channel
 * a = γ·invStd, k = γ·invStd³·Σ(dy·(x − μ))/m, b = γ·invStd·Σdy/m. Same forward values and
 * statistics as `batchNormTrain` up to float rounding; the statistics are outside the gradient
 * (the running averages are not trained).
 */
export function batchNormTrainFused(x: tf.Tensor, p: FusedParams): FusedBatchNormResult {
  if (p.validate !== false) {
    checkAffine(x, p);
    checkTrainingBatch(x);
    checkFinite({ input: x, gamma: p.gamma, beta: p.beta });
  }
  const passes = p.passes ?? OPS_PASSES;
  const m = elementsPerChannel(x);
  const eps = p.eps;
  let stats: [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D?] | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const { y, mean, variance, varianceUnbiased, saved } = passes.forward(xIn, gamma, beta, eps);
    // The forward runs in its own tidy: the statistics leave it kept, and are handed back below.
    stats = [tf.keep(mean), tf.keep(variance), varianceUnbiased && tf.keep(varianceUnbiased)];
    save(saved);
    return { value: y, gradFunc: (dy: tf.Tensor, kept: tf.Tensor[]) => passes.backward(dy, kept, eps) };
  });
  const y = op(x, p.gamma, p.beta);
  const [keptMean, keptVariance, keptUnbiased] = stats!;
  if (p.keepStats) {
    const varianceUnbiased = keptUnbiased ?? tf.keep(tf.mul(keptVariance, m / (m - 1)) as tf.Tensor1D);
    return { y, mean: keptMean, varianceBiased: keptVariance, varianceUnbiased };
  }
  // Clones belong to the caller's scope like batchNormTrain's results; the kept originals go.
  const mean = tf.clone(keptMean);
  const varianceBiased = tf.clone(keptVariance);
  const varianceUnbiased = keptUnbiased ? tf.clone(keptUnbiased) : (tf.mul(varianceBiased, m / (m - 1)) as tf.Tensor1D);
  tf.dispose([keptMean, keptVariance, ...(keptUnbiased ? [keptUnbiased] : [])]);
  return { y, mean, varianceBiased, varianceUnbiased };
}
