import type * as tfTypes from '@tensorflow/tfjs-core';

type Tf = typeof tfTypes;

/**
 * A small, fixed convolutional layer for the chapter widgets: four hand-set 3×3 filters
 * (horizontal edges, vertical edges, a blur and a diagonal) then 2×2 max pooling, so the feature
 * maps are real, interpretable, and the same on every visit.
 */
const FILTERS = [
  [-1, -2, -1, 0, 0, 0, 1, 2, 1],
  [-1, 0, 1, -2, 0, 2, -1, 0, 1],
  [1, 2, 1, 2, 4, 2, 1, 2, 1].map((v) => v / 16),
  [0, 1, 2, -1, 0, 1, -2, -1, 0],
];
export const FEATURE_CHANNELS = FILTERS.length;
export const CHANNEL_NAMES = ['horizontal edges', 'vertical edges', 'blur', 'diagonal edges'];

/** [N, 14, 14, 4] feature maps of the first `count` images (28×28 bytes each). */
export function featureMaps(tf: Tf, images: Uint8Array, count: number): tfTypes.Tensor4D {
  return tf.tidy(() => {
    const x = tf.div(tf.tensor4d(images.subarray(0, count * 784), [count, 28, 28, 1], 'float32'), 255) as tfTypes.Tensor4D;
    // HWIO: tap (i, j) of filter k is FILTERS[k][3i + j].
    const taps = Array.from({ length: 9 }, (_, t) => FILTERS.map((f) => f[t]!));
    const filter = tf.reshape(tf.tensor2d(taps), [3, 3, 1, FEATURE_CHANNELS]) as tfTypes.Tensor4D;
    return tf.maxPool(tf.conv2d(x, filter, 1, 'same'), 2, 2, 'valid') as tfTypes.Tensor4D;
  });
}
