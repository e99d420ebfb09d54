import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams, BatchNormTrainResult } from './batchnorm';
import { BN_BACKWARD_KERNEL, BN_FORWARD_KERNEL, registerWasmBatchNormKernels } from './fused-wasm';
import { checkAffine, checkFinite, checkTrainingBatch, channelsOf, elementsPerChannel } from './validate';

/**
 * How the op runs. 'ops': tfjs ops (sums over the batch axes, broadcasting mul/add/sub), on
 * every backend. 'wasm-kernels': one kernel each way on the WASM backend (fused-wasm.ts), where
 * a step of the lab's size is bound by the number of kernels. Default: the kernels on WASM,
 * the ops elsewhere.
 */
export type FusedImpl = 'ops' | 'wasm-kernels';

export interface FusedParams extends AffineParams {
  impl?: FusedImpl;
  /**
   * Hand the statistics back kept (tf.keep: no tidy frees them, the caller disposes them), as
   * the trainer holds them until the running averages take them, instead of as clones in the
   * caller's scope: on WASM a clone is a kernel (a copy), and kernels are what a step costs.
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
  const impl = p.impl ?? (tf.getBackend() === 'wasm' ? 'wasm-kernels' : 'ops');
  if (impl === 'wasm-kernels') registerWasmBatchNormKernels();
  const m = elementsPerChannel(x);
  const c = channelsOf(x);
  const eps = p.eps;
  let stats: [tf.Tensor1D, tf.Tensor1D, tf.Tensor1D?] | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    if (impl === 'wasm-kernels') {
      const [y, mean, variance, varianceUnbiased] = tf.engine().runKernel(BN_FORWARD_KERNEL, { x: xIn, gamma, beta }, { eps }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
      // The forward runs in its own tidy: the statistics leave it kept, and are handed back below.
      stats = [tf.keep(mean), tf.keep(variance), tf.keep(varianceUnbiased)];
      save([xIn, gamma, mean, variance]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          const [xs, g, mu, v] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
          return tf.engine().runKernel(BN_BACKWARD_KERNEL, { dy, x: xs, gamma: g, mean: mu, variance: v }, { eps }) as tf.Tensor[];
        },
      };
    }
    const x2 = tf.reshape(xIn, [m, c]) as tf.Tensor2D;
    const mean = tf.div(tf.sum(x2, 0), m) as tf.Tensor1D;
    const centered = tf.sub(x2, mean) as tf.Tensor2D;
    const variance = tf.div(tf.sum(tf.square(centered), 0), m) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const y2 = tf.add(tf.mul(centered, tf.mul(gamma, invStd)), beta);
    stats = [tf.keep(mean), tf.keep(variance)];
    save([centered, invStd, gamma]);
    return {
      value: tf.reshape(y2, xIn.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [cen, inv, g] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
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
