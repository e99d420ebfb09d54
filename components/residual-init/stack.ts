import type * as tfTypes from '@tensorflow/tfjs-core';
import { batchNormTrain } from '../../src/lib/bn';

type Tf = typeof tfTypes;
export type Ordering = 'post' | 'pre';

const EPS = 1e-5;

/** Per block l = 0…depth: the residual stream's variance and its gradient's mean square. */
export type Propagation = {
  streamVariance: number[];
  gradientSquare: number[];
};

/**
 * A stack of residual blocks (two 3×3 convolutions, He-initialized, each with BN in training
 * mode) at initialization, on input x: [N, H, W, C]. `lastGamma` is the γ of each block's last
 * BN: 1 as usual, 0 for Goyal et al.'s zero-γ, which makes every block the identity at first.
 * The loss is Σ x_L·r for a fixed random r, so its gradient at the top is r and what the
 * gradient does on the way down is the stack's doing.
 */
export function propagate(tf: Tf, x: tfTypes.Tensor4D, filters: tfTypes.Tensor4D[][], ordering: Ordering, lastGamma: number, seed: number): Propagation {
  return tf.tidy(() => {
    const c = x.shape[3];
    const ones = tf.ones([c]);
    const zeros = tf.zeros([c]);
    const lastScale = tf.fill([c], lastGamma);
    const bn = (h: tfTypes.Tensor, gamma: tfTypes.Tensor) => batchNormTrain(h, { gamma, beta: zeros, eps: EPS, validate: false }).y as tfTypes.Tensor4D;
    const conv = (h: tfTypes.Tensor4D, w: tfTypes.Tensor4D) => tf.conv2d(h, w, 1, 'same');
    const block = (h: tfTypes.Tensor4D, [w1, w2]: tfTypes.Tensor4D[]): tfTypes.Tensor4D =>
      ordering === 'post'
        ? (tf.relu(tf.add(h, bn(conv(tf.relu(bn(conv(h, w1!), ones)), w2!), lastScale))) as tfTypes.Tensor4D)
        : (tf.add(h, conv(tf.relu(bn(conv(tf.relu(bn(h, ones)), w1!), lastScale)), w2!)) as tfTypes.Tensor4D);
    const target = tf.randomNormal(x.shape, 0, 1, 'float32', seed);
    // Zero "probes" added to each block's output: the loss's gradient with respect to a probe is
    // its gradient with respect to the residual stream there.
    const probes = filters.map(() => tf.zerosLike(x));
    // tf.grads frees the function's intermediates, so the stream's variances are kept from inside.
    const variances: tfTypes.Tensor[] = [];
    const loss = (...ps: tfTypes.Tensor[]) => {
      let h = x;
      variances.length = 0;
      variances.push(tf.keep(tf.moments(h).variance));
      filters.forEach((w, l) => {
        h = tf.add(block(h, w), ps[l]!);
        variances.push(tf.keep(tf.moments(h).variance));
      });
      return tf.sum(tf.mul(h, target));
    };
    const grads = tf.grads(loss)(probes);
    return {
      streamVariance: variances.map((v) => v.dataSync()[0]!),
      gradientSquare: grads.map((g) => tf.mean(tf.square(g)).dataSync()[0]!),
    };
  });
}

/** He-initialized 3×3 filters, two per block, seeded per block so a deeper stack keeps its first blocks. */
export function heFilters(tf: Tf, depth: number, channels: number, seed: number): tfTypes.Tensor4D[][] {
  const std = Math.sqrt(2 / (9 * channels));
  return Array.from({ length: depth }, (_, l) => [0, 1].map((k) => tf.randomNormal([3, 3, channels, channels], 0, std, 'float32', seed * 1009 + l * 2 + k) as tfTypes.Tensor4D));
}
