import * as tf from '@tensorflow/tfjs-core';
import type { InferenceParams } from './batchnorm';
import { checkInference, reductionAxes } from './batchnorm';
import { BnInputError } from './errors';
import { checkTrainingBatch } from './validate';

export interface RenormParams extends InferenceParams {
  /** r is clipped to [1/r_max, r_max]; r_max = 1 gives plain BN. */
  rMax: number;
  /** d is clipped to [−d_max, d_max]; d_max = 0 gives plain BN. */
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
 *   x̂ = (x − μ_B)/σ_B · r + d,  r = clip(σ_B/σ, 1/r_max, r_max),  d = clip((μ_B − μ)/σ, ±d_max),
 * σ_B = √(σ²_B+ε), σ = √(running var+ε). The paper treats r and d as constants in backprop;
 * tfjs-core has no stopGradient op, so they pass through an identity whose customGrad returns
 * zeros, which cuts the path from x through μ_B, σ_B into r and d. The gradient through x̂'s own
 * μ_B and σ_B is kept, as in the paper. Running statistics are updated separately (running.ts).
 */
export function batchRenorm(x: tf.Tensor, p: RenormParams): RenormResult {
  if (p.validate !== false) {
    checkInference(x, p);
    checkTrainingBatch(x);
    if (!(Number.isFinite(p.rMax) && p.rMax >= 1)) throw new BnInputError(`r_max must be a finite number ≥ 1 (r is clipped to [1/r_max, r_max]); got ${p.rMax}.`);
    if (!(Number.isFinite(p.dMax) && p.dMax >= 0)) throw new BnInputError(`d_max must be a finite number ≥ 0 (d is clipped to [−d_max, d_max]); got ${p.dMax}.`);
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

// customGrad's published type wants a variadic (...inputs, save) signature; one input is all we need.
const stopGradient = tf.customGrad(((t: tf.Tensor) => ({
  value: tf.clone(t),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as (t: tf.Tensor) => tf.Tensor;
