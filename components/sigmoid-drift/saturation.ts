/**
 * A batch of sigmoid inputs and the sigmoid's slope over it, computed with tfjs: the inputs are a
 * fixed standard-normal draw shifted and scaled by the reader's drift, optionally batch-normalized.
 */
import type * as tfType from '@tensorflow/tfjs-core';

/** The batch: 512 seeded standard-normal draws (src/lib/data/random), shifted and scaled by the sliders. */
export const BATCH = 512;
export const SEED = 11;
/** BN's ε for this figure; the batch's variance is far above it at every setting. */
export const EPS = 1e-5;
/** g′(z) below this counts as saturated: the sigmoid passes on under 4% of its largest slope. */
export const SATURATED_BELOW = 0.01;

export interface Saturation {
  /** The inputs the sigmoid receives (after BN when asked). */
  z: Float32Array;
  /** g′(z) = g(z)(1 − g(z)) for each input. */
  slope: Float32Array;
  meanSlope: number;
  saturatedShare: number;
  zMean: number;
  zStd: number;
}

export function saturation(tf: typeof tfType, base: Float32Array, drift: { mean: number; spread: number; bn: boolean }): Saturation {
  const [z, slope, stats] = tf.tidy(() => {
    let x: tfType.Tensor1D = tf.add(tf.mul(tf.tensor1d(base), drift.spread), drift.mean);
    if (drift.bn) {
      const { mean, variance } = tf.moments(x);
      x = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, EPS)));
    }
    const g = tf.sigmoid(x);
    const dg = tf.mul(g, tf.sub(1, g));
    const { mean, variance } = tf.moments(x);
    const summary = tf.stack([tf.mean(dg), tf.mean(tf.cast(tf.less(dg, SATURATED_BELOW), 'float32')), mean, tf.sqrt(variance)]);
    return [x, dg, summary];
  });
  const [meanSlope, saturatedShare, zMean, zStd] = Array.from(stats.dataSync());
  const result = { z: z.dataSync() as Float32Array, slope: slope.dataSync() as Float32Array, meanSlope: meanSlope!, saturatedShare: saturatedShare!, zMean: zMean!, zStd: zStd! };
  tf.dispose([z, slope, stats]);
  return result;
}
