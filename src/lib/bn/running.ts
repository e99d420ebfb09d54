import * as tf from '@tensorflow/tfjs-core';
import { BnInputError } from './errors';
import { checkMomentum, checkPerChannel } from './validate';
import { CONVENTIONS, type Convention } from './conventions';
import { registerWasmBatchNormKernels, RUNNING_STATS_KERNEL } from './fused-wasm';

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
 * Returns new running statistics (the caller owns them and disposes the old ones). Only shapes
 * are checked, never values, so the trainer can call this every step without a readback.
 */
export function updateRunningStats(running: RunningStats, batch: BatchStats, options: UpdateOptions): RunningStats {
  const channels = batch.mean.shape[0] ?? 0;
  checkPerChannel('batch mean', batch.mean, channels);
  checkPerChannel('running mean', running.mean, channels);
  checkPerChannel('running variance', running.variance, channels);
  const w = batchWeight(options, running.batches);
  const which = options.variance ?? CONVENTIONS[options.convention].variance;
  const batchVariance = which === 'unbiased' ? batch.varianceUnbiased : batch.varianceBiased;
  checkPerChannel(`batch ${which} variance`, batchVariance, channels);
  if (tf.getBackend() === 'wasm') {
    // One kernel for both averages (fused-wasm.ts), the same numbers as the ops below.
    registerWasmBatchNormKernels();
    const inputs = { runningMean: running.mean, runningVariance: running.variance, batchMean: batch.mean, batchVariance };
    const [mean, variance] = tf.engine().runKernel(RUNNING_STATS_KERNEL, inputs, { weight: w }) as [tf.Tensor1D, tf.Tensor1D];
    return { mean, variance, batches: running.batches + 1 };
  }
  return tf.tidy(() => ({
    mean: tf.add(tf.mul(running.mean, 1 - w), tf.mul(batch.mean, w)) as tf.Tensor1D,
    variance: tf.add(tf.mul(running.variance, 1 - w), tf.mul(batchVariance, w)) as tf.Tensor1D,
    batches: running.batches + 1,
  }));
}
