import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams, BatchNormTrainResult } from './batchnorm';
import { checkAffine, checkFinite, checkTrainingBatch, channelsOf, elementsPerChannel } from './validate';

/**
 * How per-channel work is expressed. 'broadcast': tf.sum over the batch axes and broadcasting
 * mul/add/sub, natural on GPU backends and cpu. 'matmul': the input viewed as [m, C]; sums are
 * its transpose times a ones column and per-channel affine maps are a fused matMul with diag(scale) plus a
 * bias. On WASM that is several times faster (XNNPACK's GEMM against its broadcasting and
 * reduction loops, measured per op by `npm run bench`'s profile), and exact: a diagonal matrix
 * adds only zeros (0·x is ±0 for finite x; a non-finite x spreads NaN across its row, which the
 * trainer reports as divergence either way).
 */
export type ChannelOps = 'broadcast' | 'matmul';

export interface FusedParams extends AffineParams {
  channelOps?: ChannelOps;
}

/** Training-mode BN's output and the batch statistics the running averages need. */
export type FusedBatchNormResult = Omit<BatchNormTrainResult, 'xHat'>;

/** Per-channel sums of x2 [m, C], as [C]. */
function channelSum(x2: tf.Tensor2D, ops: ChannelOps): tf.Tensor1D {
  if (ops === 'broadcast') return tf.sum(x2, 0);
  // x2ᵀ·1 rather than 1ᵀ·x2: with x2 as the left operand WASM's matMul does not repack it as
  // weights, 3–4× faster for [25088, 8] (0.2 against 0.8 ms, min of 5 runs of 40).
  return tf.reshape(tf.matMul(x2, tf.ones([x2.shape[0], 1]), true, false), [x2.shape[1]]);
}

/** x2 [m, C] times `scale` per channel (null: 1) plus `shift` per channel. */
function channelAffine(x2: tf.Tensor2D, scale: tf.Tensor1D | null, shift: tf.Tensor1D, ops: ChannelOps): tf.Tensor2D {
  if (ops === 'broadcast') return tf.add(scale ? tf.mul(x2, scale) : x2, shift);
  const c = x2.shape[1];
  return tf.fused.matMul({ a: x2, b: scale ? tf.diag(scale) : tf.eye(c), bias: shift }) as tf.Tensor2D;
}

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
  const ops = p.channelOps ?? 'broadcast';
  const m = elementsPerChannel(x);
  const c = channelsOf(x);
  const eps = p.eps;
  let stats: [tf.Tensor1D, tf.Tensor1D] | undefined;
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, gamma, beta, save] = args as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
    const x2 = tf.reshape(xIn, [m, c]) as tf.Tensor2D;
    const mean = tf.div(channelSum(x2, ops), m) as tf.Tensor1D;
    const centered = channelAffine(x2, null, tf.neg(mean), ops);
    const variance = tf.div(channelSum(tf.square(centered), ops), m) as tf.Tensor1D;
    const invStd = tf.rsqrt(tf.add(variance, eps)) as tf.Tensor1D;
    const y2 = channelAffine(centered, tf.mul(gamma, invStd) as tf.Tensor1D, beta, ops);
    // The forward runs in its own tidy: the statistics leave it kept, and are handed back below.
    stats = [tf.keep(mean), tf.keep(variance)];
    save([centered, invStd, gamma]);
    return {
      value: tf.reshape(y2, xIn.shape),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [cen, inv, g] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D];
        const dy2 = tf.reshape(dy, [m, c]) as tf.Tensor2D;
        const sumDy = channelSum(dy2, ops);
        const sumDyC = channelSum(tf.mul(dy2, cen) as tf.Tensor2D, ops);
        const a = tf.mul(g, inv) as tf.Tensor1D;
        const k = tf.mul(a, tf.mul(tf.square(inv), tf.div(sumDyC, m))) as tf.Tensor1D;
        const b = tf.mul(a, tf.div(sumDy, m)) as tf.Tensor1D;
        const dx2 =
          ops === 'broadcast'
            ? tf.sub(tf.sub(tf.mul(dy2, a), tf.mul(cen, k)), b)
            : tf.add(tf.matMul(dy2, tf.diag(a)), channelAffine(cen, tf.neg(k) as tf.Tensor1D, tf.neg(b) as tf.Tensor1D, ops));
        return [tf.reshape(dx2, dy.shape), tf.mul(sumDyC, inv), sumDy];
      },
    };
  });
  const y = op(x, p.gamma, p.beta);
  const [keptMean, keptVariance] = stats!;
  // Clones belong to the caller's scope like batchNormTrain's results; the kept originals go.
  const mean = tf.clone(keptMean);
  const varianceBiased = tf.clone(keptVariance);
  tf.dispose([keptMean, keptVariance]);
  return { y, mean, varianceBiased, varianceUnbiased: tf.mul(varianceBiased, m / (m - 1)) as tf.Tensor1D };
}
