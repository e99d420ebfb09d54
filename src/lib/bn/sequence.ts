import * as tf from '@tensorflow/tfjs-core';

/**
 * Statistics of a padded batch of sequences x: [N, T, F] with mask: [N, T] (1 for a real token,
 * 0 for padding). BN over a sequence batch pools every (example, position) per feature; padding
 * either counts (what a plain BN layer computes) or is masked out.
 */
export function sequenceBatchMoments(x: tf.Tensor3D, mask: tf.Tensor2D, { masked }: { masked: boolean }): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  return tf.tidy(() => {
    if (!masked) {
      const { mean, variance } = tf.moments(x, [0, 1]);
      return { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
    }
    const w = tf.expandDims(mask, 2);
    const count = tf.sum(mask);
    const mean = tf.div(tf.sum(tf.mul(x, w), [0, 1]), count);
    const variance = tf.div(tf.sum(tf.mul(tf.square(tf.sub(x, mean)), w), [0, 1]), count);
    return { mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  });
}

/** LayerNorm's statistics: one mean and biased variance per token, over its F features. */
export function tokenMoments(x: tf.Tensor3D): { mean: tf.Tensor2D; variance: tf.Tensor2D } {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, 2);
    return { mean: mean as tf.Tensor2D, variance: variance as tf.Tensor2D };
  });
}
