import * as tf from '@tensorflow/tfjs-core';

export interface GhostStats {
  /** [G, C]: each ghost batch's per-channel mean. */
  means: tf.Tensor2D;
  /** [G, C]: each ghost batch's per-channel biased variance. */
  variances: tf.Tensor2D;
}

/**
 * Ghost BN (Hoffer et al. 2017), and what each device computes under data parallelism: the batch
 * (N first, C last) is cut into `groups` consecutive slices of N/G examples, and each slice's
 * channels are normalized by that slice's own statistics.
 */
export function ghostBatchStats(x: tf.Tensor, groups: number): GhostStats {
  const n = x.shape[0]!;
  if (!Number.isInteger(groups) || groups < 1 || n % groups !== 0) throw new RangeError(`${groups} ghost batches do not divide a batch of ${n}`);
  const c = x.shape[x.rank - 1]!;
  return tf.tidy(() => {
    const sliced = tf.reshape(x, [groups, -1, c]);
    const { mean, variance } = tf.moments(sliced, 1);
    return { means: mean as tf.Tensor2D, variances: variance as tf.Tensor2D };
  });
}

/**
 * SyncBN's statistics from equal-sized slices: what devices get by exchanging per-channel sums
 * of x and x² (the mean of the slice means; the mean of E[x²] minus the mean squared). Equals
 * the whole batch's mean and biased variance.
 */
export function syncedStats(ghost: GhostStats): { mean: tf.Tensor1D; variance: tf.Tensor1D } {
  return tf.tidy(() => {
    const mean = tf.mean(ghost.means, 0) as tf.Tensor1D;
    const secondMoment = tf.mean(tf.add(ghost.variances, tf.square(ghost.means)), 0);
    return { mean, variance: tf.relu(tf.sub(secondMoment, tf.square(mean))) as tf.Tensor1D };
  });
}
