import * as tf from '@tensorflow/tfjs-core';
import { reductionAxes } from './batchnorm';
import { checkEps, checkFinite, checkNonNegative, checkPerChannel, checkRank, checkSameShape, checkTrainingBatch, channelsOf, elementsPerChannel } from './validate';

export interface BatchNormGradients {
  dx: tf.Tensor;
  dgamma: tf.Tensor1D;
  dbeta: tf.Tensor1D;
}

export interface BackwardOptions {
  /** Skip the checks that read tensors back. */
  validate?: boolean;
}

function checkBackward(x: tf.Tensor, gamma: tf.Tensor, dy: tf.Tensor, eps: number, perChannel: Record<string, tf.Tensor>): void {
  checkRank(x);
  checkPerChannel('gamma', gamma, channelsOf(x));
  for (const [name, t] of Object.entries(perChannel)) checkPerChannel(name, t, channelsOf(x));
  checkSameShape('dy', dy, x);
  checkEps(eps);
  checkFinite({ input: x, gamma, dy, ...perChannel });
}

/**
 * The closed-form backward pass of training-mode BN (Ioffe & Szegedy, section 3), step by step
 * as the chapter derives it, so tests can hold it against autodiff. Gradients of sum(y·dy).
 */
export function batchNormBackward(x: tf.Tensor, gamma: tf.Tensor1D, dy: tf.Tensor, eps: number, options: BackwardOptions = {}): BatchNormGradients {
  if (options.validate !== false) {
    checkBackward(x, gamma, dy, eps, {});
    checkTrainingBatch(x);
  }
  const axes = reductionAxes(x);
  const m = elementsPerChannel(x);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, axes);
    const centered = tf.sub(x, mean);
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const xHat = tf.mul(centered, invStd);
    const dxHat = tf.mul(dy, gamma);
    const dVar = tf.mul(tf.sum(tf.mul(dxHat, centered), axes), tf.mul(-0.5, tf.pow(invStd, 3)));
    const dMean = tf.add(tf.mul(tf.sum(dxHat, axes), tf.neg(invStd)), tf.mul(dVar, tf.div(tf.sum(tf.mul(centered, -2), axes), m)));
    const dx = tf.add(tf.add(tf.mul(dxHat, invStd), tf.mul(dVar, tf.div(tf.mul(centered, 2), m))), tf.div(dMean, m));
    return {
      dx,
      dgamma: tf.sum(tf.mul(dy, xHat), axes) as tf.Tensor1D,
      dbeta: tf.sum(dy, axes) as tf.Tensor1D,
    };
  });
}

/** Inference mode is affine in x: dx = dy·γ/√(σ̂²+ε); dγ = Σ dy·x̂; dβ = Σ dy. */
export function batchNormInferenceBackward(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  runningMean: tf.Tensor1D,
  runningVar: tf.Tensor1D,
  dy: tf.Tensor,
  eps: number,
  options: BackwardOptions = {},
): BatchNormGradients {
  if (options.validate !== false) {
    checkBackward(x, gamma, dy, eps, { 'running mean': runningMean, 'running variance': runningVar });
    checkNonNegative('running variance', runningVar);
  }
  const axes = reductionAxes(x);
  return tf.tidy(() => {
    const invStd = tf.rsqrt(tf.add(runningVar, eps));
    const xHat = tf.mul(tf.sub(x, runningMean), invStd);
    return {
      dx: tf.mul(dy, tf.mul(gamma, invStd)),
      dgamma: tf.sum(tf.mul(dy, xHat), axes) as tf.Tensor1D,
      dbeta: tf.sum(dy, axes) as tf.Tensor1D,
    };
  });
}
