import * as tf from '@tensorflow/tfjs-core';
import type { AffineParams } from './batchnorm';
import { checkAffine, checkFinite, checkGroups } from './validate';

export type NormKind = 'batch' | 'layer' | 'instance' | 'group';

export interface GroupParams extends AffineParams {
  groups: number;
}

/**
 * GroupNorm on [N, H, W, C]: statistics per example over H, W and each group of C/G channels
 * (biased variance), then a per-channel γ, β. G = 1 is LayerNorm and G = C is InstanceNorm.
 */
export function groupNorm(x: tf.Tensor4D, p: GroupParams): tf.Tensor4D {
  if (p.validate !== false) {
    checkAffine(x, p, [4]);
    checkGroups(p.groups, x.shape[3]);
    checkFinite({ input: x, gamma: p.gamma, beta: p.beta });
  }
  const [n, h, w, c] = x.shape;
  return tf.tidy(() => {
    const grouped = tf.reshape(x, [n, h, w, p.groups, c / p.groups]);
    const { mean, variance } = tf.moments(grouped, [1, 2, 4], true);
    const normalized = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, p.eps))), [n, h, w, c]);
    return tf.add(tf.mul(normalized, p.gamma), p.beta) as tf.Tensor4D;
  });
}

export const layerNorm = (x: tf.Tensor4D, p: AffineParams): tf.Tensor4D => groupNorm(x, { ...p, groups: 1 });

export const instanceNorm = (x: tf.Tensor4D, p: AffineParams): tf.Tensor4D => groupNorm(x, { ...p, groups: x.shape[3] });

/**
 * Which elements of an [N, H, W, C] block share one mean and variance under each
 * normalization: returns the statistic's id for element (n, h, w, c).
 */
export function statisticId(kind: NormKind, shape: readonly [number, number, number, number], groups: number, n: number, c: number): number {
  const channels = shape[3];
  if (kind === 'group') checkGroups(groups, channels);
  switch (kind) {
    case 'batch':
      return c;
    case 'layer':
      return n;
    case 'instance':
      return n * channels + c;
    case 'group':
      return n * groups + Math.floor(c / (channels / groups));
  }
}

/** How many elements share one statistic: N·H·W for BN, H·W·C for LN, H·W for IN, H·W·C/G for GN. */
export function statisticSize(kind: NormKind, shape: readonly [number, number, number, number], groups: number): number {
  const [n, h, w, c] = shape;
  if (kind === 'group') checkGroups(groups, c);
  switch (kind) {
    case 'batch':
      return n * h * w;
    case 'layer':
      return h * w * c;
    case 'instance':
      return h * w;
    case 'group':
      return (h * w * c) / groups;
  }
}
