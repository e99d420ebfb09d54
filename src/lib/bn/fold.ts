import * as tf from '@tensorflow/tfjs-core';

export interface FoldInputs {
  /** HWIO: [kh, kw, in, out]. */
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  runningMean: tf.Tensor1D;
  runningVar: tf.Tensor1D;
  eps: number;
}

/**
 * Inference-mode BN after a conv is a per-output-channel affine map, so it folds into the conv:
 *   W' = W·γ/√(σ̂²+ε) (scaling the last, output axis),  b' = (b − μ̂)·γ/√(σ̂²+ε) + β.
 */
export function foldBatchNorm(p: FoldInputs): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const scale = tf.div(p.gamma, tf.sqrt(tf.add(p.runningVar, p.eps)));
    return {
      filter: tf.mul(p.filter, scale) as tf.Tensor4D,
      bias: tf.add(tf.mul(tf.sub(p.bias, p.runningMean), scale), p.beta) as tf.Tensor1D,
    };
  });
}

/** Stride-1, 'same'-padded conv plus bias: the layer the fold is checked on. */
export const conv2dSame = (x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D =>
  tf.tidy(() => tf.add(tf.conv2d(x, filter, 1, 'same'), bias) as tf.Tensor4D);
