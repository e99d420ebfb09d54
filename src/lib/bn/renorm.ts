import * as tf from '@tensorflow/tfjs-core';
import type { InferenceParams } from './batchnorm';
import { reductionAxes } from './batchnorm';
import { checkEps, checkTrainingBatch } from './validate';

export interface RenormParams extends InferenceParams {
  rMax: number;
  dMax: number;
}

export interface RenormResult {
  y: tf.Tensor;
  r: tf.Tensor1D;
  d: tf.Tensor1D;
  mean: tf.Tensor1D;
  varianceBiased: tf.Tensor1D;
}

/**
 * Batch Renormalization (Ioffe 2017), training mode:
 *   x̂ = (x − μ_B)/σ_B · r + d,  r = clip(σ_B/σ, 1/r_max, r_max),  d = clip((μ_B − μ)/σ, ±d_max).
 * r and d are treated as constants by the gradient: they are computed from copies of the batch
 * statistics taken outside the differentiated graph (tfjs-core has no stopGradient op, so a
 * customGrad wrapper returns zero gradient for them).
 */
export function batchRenorm(x: tf.Tensor, p: RenormParams): RenormResult {
  if (p.validate !== false) {
    checkEps(p.eps);
    checkTrainingBatch(x);
  }
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, reductionAxes(x));
    const sigmaB = tf.sqrt(tf.add(variance, p.eps));
    const sigma = tf.sqrt(tf.add(p.runningVar, p.eps));
    const r = stopGradient(tf.clipByValue(tf.div(sigmaB, sigma), 1 / p.rMax, p.rMax)) as tf.Tensor1D;
    const d = stopGradient(tf.clipByValue(tf.div(tf.sub(mean, p.runningMean), sigma), -p.dMax, p.dMax)) as tf.Tensor1D;
    const xHat = tf.add(tf.mul(tf.div(tf.sub(x, mean), sigmaB), r), d);
    const y = tf.add(tf.mul(xHat, p.gamma), p.beta);
    return { y, r, d, mean: mean as tf.Tensor1D, varianceBiased: variance as tf.Tensor1D };
  });
}

/** Identity forward, zero gradient backward. */
const stopGradient = tf.customGrad(((t: tf.Tensor) => ({
  value: tf.clone(t),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (t: tf.Tensor) => tf.Tensor;
