import * as tf from '@tensorflow/tfjs-core';
import { checkAffine, checkFinite, checkNonNegative, checkPerChannel, checkTrainingBatch, channelsOf, elementsPerChannel } from './validate';

export interface AffineParams {
  /** Per channel, shape [C]. */
  gamma: tf.Tensor;
  beta: tf.Tensor;
  eps: number;
  /** Skip the value checks (they read tensors back); the trainer's hot path turns them off. */
  validate?: boolean;
}

export interface BatchNormTrainResult {
  y: tf.Tensor;
  /** The normalized x̂ before γ and β. */
  xHat: tf.Tensor;
  mean: tf.Tensor1D;
  /** Divides by m: what Algorithm 1 normalizes with. */
  varianceBiased: tf.Tensor1D;
  /** Divides by m − 1: what PyTorch feeds its running variance. */
  varianceUnbiased: tf.Tensor1D;
}

/** Every axis but the channel axis: BN's statistics are per channel over N (and H, W). */
export const reductionAxes = (x: tf.Tensor): number[] => [...Array(x.rank - 1).keys()];

/** Algorithm 1: normalize with the batch's own mean and biased variance, then scale and shift. */
export function batchNormTrain(x: tf.Tensor, p: AffineParams): BatchNormTrainResult {
  if (p.validate !== false) {
    checkAffine(x, p);
    checkTrainingBatch(x);
    checkFinite({ input: x, gamma: p.gamma, beta: p.beta });
  }
  const m = elementsPerChannel(x);
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, reductionAxes(x));
    const xHat = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, p.eps)));
    const y = tf.add(tf.mul(xHat, p.gamma), p.beta);
    return {
      y,
      xHat,
      mean: mean as tf.Tensor1D,
      varianceBiased: variance as tf.Tensor1D,
      varianceUnbiased: tf.mul(variance, m / (m - 1)) as tf.Tensor1D,
    };
  });
}

export interface InferenceParams extends AffineParams {
  runningMean: tf.Tensor;
  runningVar: tf.Tensor;
}

export function checkInference(x: tf.Tensor, p: InferenceParams): void {
  checkAffine(x, p);
  checkPerChannel('running mean', p.runningMean, channelsOf(x));
  checkPerChannel('running variance', p.runningVar, channelsOf(x));
  checkFinite({ input: x, gamma: p.gamma, beta: p.beta, 'running mean': p.runningMean, 'running variance': p.runningVar });
  checkNonNegative('running variance', p.runningVar);
}

/** Algorithm 2: a fixed affine map using population (running) estimates. */
export function batchNormInference(x: tf.Tensor, p: InferenceParams): tf.Tensor {
  if (p.validate !== false) checkInference(x, p);
  // tf.batchNorm's argument order is (x, mean, variance, offset, scale, eps): offset before scale.
  return tf.batchNorm(x, p.runningMean, p.runningVar, p.beta, p.gamma, p.eps);
}
