import * as tf from '@tensorflow/tfjs-core';

/**
 * Distribution shifts for test images ([N, 784] pixels in 0..1), each with a strength in 0..1
 * (0 leaves the images unchanged). Pure tfjs, seeded where random, so a page and its test agree.
 */
export const SHIFTS = [
  ['brightness', 'brightness offset'],
  ['invert', 'contrast inversion'],
  ['blur', 'blur'],
  ['noise', 'noise'],
] as const;
export type ShiftKind = (typeof SHIFTS)[number][0];

/** Largest blur (Gaussian σ in pixels) and noise (standard deviation) at strength 1. */
export const MAX_BLUR_SIGMA = 2;
export const MAX_NOISE_STD = 0.6;

/** A normalized 1-D Gaussian kernel of radius ⌈3σ⌉. */
export function gaussianKernel(sigma: number): number[] {
  const radius = Math.max(1, Math.ceil(3 * sigma));
  const taps = Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-((i - radius) ** 2) / (2 * sigma * sigma)));
  const total = taps.reduce((a, b) => a + b, 0);
  return taps.map((t) => t / total);
}

export function applyShift(x: tf.Tensor2D, kind: ShiftKind, strength: number, seed: number): tf.Tensor2D {
  if (!(strength >= 0 && strength <= 1)) throw new RangeError('the shift strength must be in [0, 1]');
  if (strength === 0) return tf.clone(x);
  return tf.tidy(() => {
    switch (kind) {
      case 'invert':
        // Blends toward the negative image: strength 1 is 1 − x, 0.5 is a flat grey.
        return tf.add(tf.mul(x, 1 - 2 * strength), strength) as tf.Tensor2D;
      case 'brightness':
        // A washed-out scan: every pixel brighter by `strength`, clipped to white.
        return tf.clipByValue(tf.add(x, strength), 0, 1) as tf.Tensor2D;
      case 'noise':
        return tf.clipByValue(tf.add(x, tf.randomNormal(x.shape, 0, MAX_NOISE_STD * strength, 'float32', seed)), 0, 1) as tf.Tensor2D;
      case 'blur': {
        const taps = gaussianKernel(MAX_BLUR_SIGMA * strength);
        const images = tf.reshape(x, [-1, 28, 28, 1]) as tf.Tensor4D;
        const rows = tf.conv2d(images, tf.tensor4d(taps, [taps.length, 1, 1, 1]), 1, 'same');
        const both = tf.conv2d(rows, tf.tensor4d(taps, [1, taps.length, 1, 1]), 1, 'same');
        return tf.reshape(both, x.shape) as tf.Tensor2D;
      }
    }
  });
}
