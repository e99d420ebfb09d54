import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormInference, batchNormTrain, BnInputError } from '../../../src/lib/bn';
import { close, expectNoLeak, referenceBn, referenceChannelsLast, tf, useCpu } from './setup';

beforeAll(useCpu);

describe('batchNormTrain', () => {
  it('matches a plain-JS Algorithm 1 on [N, C], per channel, with a negative gamma', () => {
    const cols = [[1, 2, 3, 4], [10, -5, 0.5, 7]];
    const x = tf.tensor2d([0, 1, 2, 3].map((i) => cols.map((c) => c[i]!)));
    const r = batchNormTrain(x, { gamma: tf.tensor1d([1, -2]), beta: tf.tensor1d([0, 0.5]), eps: 1e-5 });
    const want = cols.map((c, j) => referenceBn(c, j === 0 ? 1 : -2, j === 0 ? 0 : 0.5, 1e-5));
    close(r.mean.dataSync(), want.map((w) => w.mean));
    close(r.varianceBiased.dataSync(), want.map((w) => w.varB));
    close(r.varianceUnbiased.dataSync(), want.map((w) => w.varU));
    const y = r.y.arraySync() as number[][];
    close(y.map((row) => row[0]!), want[0]!.y);
    close(y.map((row) => row[1]!), want[1]!.y);
  });

  it('matches a plain-JS Algorithm 1 on [N, H, W, C], statistics over N·H·W per channel', () => {
    const x = tf.randomNormal([3, 2, 4, 3], 1, 3, 'float32', 8);
    const gamma = [0.5, -1.25, 2];
    const beta = [1, 0, -3];
    const r = batchNormTrain(x, { gamma: tf.tensor1d(gamma), beta: tf.tensor1d(beta), eps: 1e-3 });
    const want = referenceChannelsLast(x.dataSync(), 3, gamma, beta, 1e-3);
    close(r.mean.dataSync(), want.mean);
    close(r.varianceBiased.dataSync(), want.varB);
    close(r.varianceUnbiased.dataSync(), want.varU);
    close(r.y.dataSync(), want.y, 1e-4);
  });

  it('trains BatchNorm2d on one example: N = 1 but H·W > 1 values per channel', () => {
    const x = tf.tensor4d([1, 10, 2, 20, 3, 30, 6, 60], [1, 2, 2, 2]);
    const r = batchNormTrain(x, { gamma: tf.ones([2]), beta: tf.zeros([2]), eps: 1e-5 });
    const want = referenceChannelsLast(x.dataSync(), 2, [1, 1], [0, 0], 1e-5);
    close(r.y.dataSync(), want.y, 1e-4);
  });

  it('normalizes [N, H, W, C] per channel over N, H and W', () => {
    const x = tf.randomNormal([3, 4, 5, 2], 3, 2, 'float32', 5);
    const r = batchNormTrain(x, { gamma: tf.ones([2]), beta: tf.zeros([2]), eps: 1e-5 });
    const { mean, variance } = tf.moments(r.y, [0, 1, 2]);
    close(mean.dataSync(), [0, 0], 1e-5);
    close(variance.dataSync(), [1, 1], 1e-3);
    expect(r.xHat.shape).toEqual([3, 4, 5, 2]);
  });

  it('maps a constant batch to beta: x̂ = 0, thanks to epsilon', () => {
    const r = batchNormTrain(tf.tensor2d([[5], [5], [5]]), { gamma: tf.tensor1d([3]), beta: tf.tensor1d([0.25]), eps: 1e-5 });
    close(r.xHat.dataSync(), [0, 0, 0]);
    close(r.y.dataSync(), [0.25, 0.25, 0.25]);
  });

  it('leaks no tensors', () => {
    const x = tf.randomNormal([4, 3]);
    const g = tf.ones([3]);
    const b = tf.zeros([3]);
    expectNoLeak(() => {
      const r = batchNormTrain(x, { gamma: g, beta: b, eps: 1e-5 });
      return [r.y, r.xHat, r.mean, r.varianceBiased, r.varianceUnbiased];
    });
    const runningMean = tf.zeros([3]);
    const runningVar = tf.ones([3]);
    expectNoLeak(() => batchNormInference(x, { gamma: g, beta: b, eps: 1e-3, runningMean, runningVar }));
  });
});

describe('batchNormInference', () => {
  it('uses the running statistics, so one example gets one answer whatever its batch', () => {
    const p = { gamma: tf.tensor1d([2]), beta: tf.tensor1d([1]), eps: 1e-3, runningMean: tf.tensor1d([4]), runningVar: tf.tensor1d([9]) };
    const alone = batchNormInference(tf.tensor2d([[7]]), p).dataSync()[0]!;
    const inBatch = batchNormInference(tf.tensor2d([[7], [100], [-3]]), p).dataSync()[0]!;
    expect(alone).toBeCloseTo((2 * (7 - 4)) / Math.sqrt(9 + 1e-3) + 1, 5);
    expect(inBatch).toBe(alone);
  });
});

describe('batchNormInference against plain JS', () => {
  for (const shape of [[5, 3], [2, 3, 2, 3]]) {
    it(`on [${shape.join(', ')}]`, () => {
      const x = tf.randomNormal(shape, 0, 2, 'float32', 4);
      const [gamma, beta, mean, variance] = [[2, -1, 0.5], [0, 1, -1], [0.5, -0.25, 1], [4, 0.5, 0]];
      const y = batchNormInference(x, { gamma: tf.tensor1d(gamma), beta: tf.tensor1d(beta), runningMean: tf.tensor1d(mean), runningVar: tf.tensor1d(variance), eps: 1e-3 });
      const want = Array.from(x.dataSync(), (v, i) => {
        const c = i % 3;
        return (gamma[c]! * (v - mean[c]!)) / Math.sqrt(variance[c]! + 1e-3) + beta[c]!;
      });
      close(y.dataSync(), want, 1e-5);
      expect(y.shape).toEqual(shape);
    });
  }
});

describe('validation', () => {
  const g = () => tf.ones([2]);
  const b = () => tf.zeros([2]);
  it('rejects wrong ranks', () => {
    expect(() => batchNormTrain(tf.zeros([2, 2, 2]), { gamma: g(), beta: b(), eps: 1e-5 })).toThrow(/rank 2 or 4/);
  });
  it('rejects gamma and beta of the wrong length', () => {
    expect(() => batchNormTrain(tf.zeros([4, 2]), { gamma: tf.ones([3]), beta: b(), eps: 1e-5 })).toThrow(/gamma must have one value per channel: expected shape \[2\]/);
    expect(() => batchNormTrain(tf.zeros([4, 2]), { gamma: g(), beta: tf.zeros([1]), eps: 1e-5 })).toThrow(/beta/);
  });
  it('rejects non-finite inputs and a bad epsilon', () => {
    expect(() => batchNormTrain(tf.tensor2d([[1, 2], [NaN, 3]]), { gamma: g(), beta: b(), eps: 1e-5 })).toThrow(/non-finite/);
    expect(() => batchNormTrain(tf.tensor2d([[1, 2], [Infinity, 3]]), { gamma: g(), beta: b(), eps: 1e-5 })).toThrow(BnInputError);
    for (const eps of [0, -1, Number.NaN]) expect(() => batchNormTrain(tf.zeros([4, 2]), { gamma: g(), beta: b(), eps })).toThrow(/epsilon must be/);
  });
  it('refuses a training batch with one value per channel, and says why', () => {
    expect(() => batchNormTrain(tf.zeros([1, 2]), { gamma: g(), beta: b(), eps: 1e-5 })).toThrow(/more than 1 value per channel when training: the batch variance of a single value is 0/);
    // BatchNorm2d with N = 1 but H·W > 1 trains on spatial statistics, as in PyTorch.
    expect(() => batchNormTrain(tf.randomNormal([1, 3, 3, 2]), { gamma: g(), beta: b(), eps: 1e-5 })).not.toThrow();
  });
});
