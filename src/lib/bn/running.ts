import * as tf from '@tensorflow/tfjs-core';
import { BnInputError } from './errors';
import { checkMomentum, checkPerChannel } from './validate';
import { CONVENTIONS, type Convention } from './conventions';

export { CONVENTIONS, type Convention };

export interface RunningStats {
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
  /** Batches seen so far (PyTorch's num_batches_tracked). */
  batches: number;
}

export interface BatchStats {
  mean: tf.Tensor1D;
  varianceBiased: tf.Tensor1D;
  varianceUnbiased: tf.Tensor1D;
}

export interface UpdateOptions {
  convention: Convention;
  /** In the convention's own meaning; PyTorch's `null` is the cumulative average. Defaults per convention. */
  momentum?: number | null;
  /** Overrides the convention's choice of batch variance (to show what Bessel's correction does). */
  variance?: 'biased' | 'unbiased';
}

/** The weight the new batch gets in the average. */
export function batchWeight(options: UpdateOptions, batchesBefore: number): number {
  const momentum = options.momentum === undefined ? CONVENTIONS[options.convention].momentum : options.momentum;
  checkMomentum(momentum);
  if (options.convention === 'keras') {
    if (momentum === null) throw new BnInputError('The Keras convention has no cumulative average (momentum null is PyTorch\'s): give a momentum between 0 and 1.');
    return 1 - momentum;
  }
  if (momentum !== null) return momentum;
  if (!Number.isInteger(batchesBefore) || batchesBefore < 0) {
    throw new BnInputError(`The cumulative average needs the number of batches already seen (a whole number ≥ 0); got ${batchesBefore}.`);
  }
  return 1 / (batchesBefore + 1);
}

/**
 * The checked inputs of an update: the new batch's weight and the batch variance the convention
 * averages. Only shapes are checked, never values, so the trainer can update every step without
 * a readback. (src/lib/kernels runs the same update as one WASM kernel from these.)
 */
export function runningUpdateInputs(running: RunningStats, batch: BatchStats, options: UpdateOptions): { weight: number; batchVariance: tf.Tensor1D } {
  const channels = batch.mean.shape[0] ?? 0;
  checkPerChannel('batch mean', batch.mean, channels);
  checkPerChannel('running mean', running.mean, channels);
  checkPerChannel('running variance', running.variance, channels);
  const weight = batchWeight(options, running.batches);
  const which = options.variance ?? CONVENTIONS[options.convention].variance;
  const batchVariance = which === 'unbiased' ? batch.varianceUnbiased : batch.varianceBiased;
  checkPerChannel(`batch ${which} variance`, batchVariance, channels);
  return { weight, batchVariance };
}

/** Returns new running statistics (the caller owns them and disposes the old ones). */
export function updateRunningStats(running: RunningStats, batch: BatchStats, options: UpdateOptions): RunningStats {
  const { weight: w, batchVariance } = runningUpdateInputs(running, batch, options);
  return tf.tidy(() => ({
    mean: tf.add(tf.mul(running.mean, 1 - w), tf.mul(batch.mean, w)) as tf.Tensor1D,
    variance: tf.add(tf.mul(running.variance, 1 - w), tf.mul(batchVariance, w)) as tf.Tensor1D,
    batches: running.batches + 1,
  }));
}
