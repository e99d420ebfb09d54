import * as tf from '@tensorflow/tfjs-core';
import { BnInputError } from './errors';
import { checkEps, checkFinite, checkNonNegative, checkPerChannel } from './validate';

export interface FoldInputs {
  /** HWIO: [kh, kw, in, out]. */
  filter: tf.Tensor4D;
  bias: tf.Tensor1D;
  gamma: tf.Tensor1D;
  beta: tf.Tensor1D;
  runningMean: tf.Tensor1D;
  runningVar: tf.Tensor1D;
  eps: number;
  /** Skip the checks that read tensors back. */
  validate?: boolean;
}

function checkFilter(filter: tf.Tensor): void {
  if (filter.rank !== 4) throw new BnInputError(`The filter must be HWIO [kh, kw, in, out]; got shape [${filter.shape.join(', ')}].`);
}

/**
 * Inference-mode BN after a conv is a per-output-channel affine map, so it folds into the conv:
 *   W' = W·γ/√(σ̂²+ε) (scaling the last, output axis),  b' = (b − μ̂)·γ/√(σ̂²+ε) + β.
 */
export function foldBatchNorm(p: FoldInputs): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  if (p.validate !== false) {
    checkFilter(p.filter);
    const out = p.filter.shape[3];
    const perChannel = { bias: p.bias, gamma: p.gamma, beta: p.beta, 'running mean': p.runningMean, 'running variance': p.runningVar };
    for (const [name, t] of Object.entries(perChannel)) checkPerChannel(name, t, out);
    checkEps(p.eps);
    checkFinite({ filter: p.filter, ...perChannel });
    checkNonNegative('running variance', p.runningVar);
  }
  return tf.tidy(() => {
    const scale = tf.div(p.gamma, tf.sqrt(tf.add(p.runningVar, p.eps)));
    return {
      filter: tf.mul(p.filter, scale) as tf.Tensor4D,
      bias: tf.add(tf.mul(tf.sub(p.bias, p.runningMean), scale), p.beta) as tf.Tensor1D,
    };
  });
}

/** Stride-1, 'same'-padded conv plus bias: the layer the fold is checked on. Shapes only, no readback. */
export function conv2dSame(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D): tf.Tensor4D {
  checkFilter(filter);
  if (x.rank !== 4) throw new BnInputError(`The conv input must be [N, H, W, C]; got shape [${x.shape.join(', ')}].`);
  if (x.shape[3] !== filter.shape[2]) throw new BnInputError(`The filter expects ${filter.shape[2]} input channels, the input has ${x.shape[3]}.`);
  checkPerChannel('bias', bias, filter.shape[3]);
  return tf.tidy(() => tf.add(tf.conv2d(x, filter, 1, 'same'), bias) as tf.Tensor4D);
}
