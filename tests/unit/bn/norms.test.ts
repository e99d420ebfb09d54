import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormInference, batchNormTrain, batchRenorm, conv2dSame, foldBatchNorm, groupNorm, instanceNorm, layerNorm, statisticSize } from '../../../src/lib/bn';
import { close, expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

const affine = (c: number) => ({ gamma: tf.linspace(0.5, 1.5, c), beta: tf.linspace(-1, 1, c), eps: 1e-5 });

describe('layer, instance and group norm', () => {
  const x = tf.randomNormal([2, 3, 3, 4], 2, 3, 'float32', 9) as tf.Tensor4D;
  it('GroupNorm with G = 1 is LayerNorm and with G = C is InstanceNorm', () => {
    close(groupNorm(x, { ...affine(4), groups: 1 }).dataSync(), layerNorm(x, affine(4)).dataSync());
    close(groupNorm(x, { ...affine(4), groups: 4 }).dataSync(), instanceNorm(x, affine(4)).dataSync());
  });
  it('InstanceNorm normalizes each example and channel over H and W', () => {
    const y = instanceNorm(x, { gamma: tf.ones([4]), beta: tf.zeros([4]), eps: 1e-5 });
    const { mean, variance } = tf.moments(y, [1, 2]);
    close(mean.dataSync(), new Array(8).fill(0), 1e-5);
    close(variance.dataSync(), new Array(8).fill(1), 1e-3);
  });
  it('rejects a group count that does not divide the channels', () => {
    expect(() => groupNorm(x, { ...affine(4), groups: 3 })).toThrow(/must be a whole number that divides the 4 channels/);
  });
  it('counts the elements sharing one statistic', () => {
    const shape = [8, 5, 5, 6] as const;
    expect(statisticSize('batch', shape, 1)).toBe(8 * 25);
    expect(statisticSize('layer', shape, 1)).toBe(25 * 6);
    expect(statisticSize('instance', shape, 1)).toBe(25);
    expect(statisticSize('group', shape, 3)).toBe(25 * 2);
  });
  it('leaks no tensors', () => {
    const p = affine(4);
    expectNoLeak(() => groupNorm(x, { ...p, groups: 2 }));
  });
});

describe('batch renormalization', () => {
  const x = tf.randomNormal([16, 3], 2, 2, 'float32', 21);
  const p = { ...affine(3), runningMean: tf.tensor1d([0, 1, 2]), runningVar: tf.tensor1d([1, 4, 9]) };
  it('with r_max = 1 and d_max = 0 it is plain BN', () => {
    const r = batchRenorm(x, { ...p, rMax: 1, dMax: 0 });
    close(r.y.dataSync(), batchNormTrain(x, p).y.dataSync());
  });
  it('clips r and d', () => {
    const r = batchRenorm(x, { ...p, rMax: 1.5, dMax: 0.5 });
    for (const v of r.r.dataSync()) expect(v).toBeGreaterThanOrEqual(1 / 1.5 - 1e-6), expect(v).toBeLessThanOrEqual(1.5 + 1e-6);
    for (const v of r.d.dataSync()) expect(Math.abs(v)).toBeLessThanOrEqual(0.5 + 1e-6);
  });
  it('treats r and d as constants in backprop: dx is r times plain BN\'s dx', () => {
    // y = γ(x̂_BN·r + d) + β, so with r and d constant, ∂/∂x is r·(BN's gradient) channel by channel.
    const dy = tf.randomNormal([16, 3], 0, 1, 'float32', 7);
    const q = { ...p, rMax: 3, dMax: 5, validate: false };
    const renormDx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(batchRenorm(xi, q).y, dy)))(x);
    const bnDx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(batchNormTrain(xi, q).y, dy)))(x);
    const { r } = batchRenorm(x, q);
    expect(Math.min(...Array.from(r.dataSync(), (v) => Math.abs(v - 1)))).toBeGreaterThan(0.05);
    close(renormDx.dataSync(), tf.mul(bnDx, r).dataSync(), 1e-4);
  });

  it('passes no gradient through r and d', () => {
    // With r, d constant, dL/dβ is Σdy and dL/dx still sums to zero per channel (the batch mean cancels).
    const dy = tf.randomNormal([16, 3], 0, 1, 'float32', 2);
    const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(batchRenorm(xi, { ...p, rMax: 3, dMax: 5, validate: false }).y, dy)))(x);
    close(tf.sum(g, 0).dataSync(), [0, 0, 0], 1e-4);
  });
});

describe('folding BN into the preceding conv', () => {
  it('conv + BN (inference) equals the folded conv within 1e-5', () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 3, 4], 0, 0.5, 'float32', 2) as tf.Tensor4D;
    const bias = tf.tensor1d([0.1, -0.2, 0.3, 0]);
    const bn = { gamma: tf.tensor1d([1, 2, -1, 0.5]), beta: tf.tensor1d([0, 1, 2, 3]), runningMean: tf.tensor1d([0.5, 0, -0.5, 1]), runningVar: tf.tensor1d([1, 2, 0.5, 4]), eps: 1e-5 };
    const reference = batchNormInference(conv2dSame(x, filter, bias), bn);
    const folded = foldBatchNorm({ filter, bias, ...bn });
    close(conv2dSame(x, folded.filter, folded.bias).dataSync(), reference.dataSync(), 1e-5);
    expectNoLeak(() => {
      const f = foldBatchNorm({ filter, bias, ...bn });
      return [f.filter, f.bias];
    });
  });
});
