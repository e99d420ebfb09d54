import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTrain, batchWeight, CONVENTIONS, updateRunningStats } from '../../../src/lib/bn';
import { close, expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

const batch = () => batchNormTrain(tf.tensor2d([[1], [2], [3], [6]]), { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-5 });
const start = () => ({ mean: tf.tensor1d([10]), variance: tf.tensor1d([2]), batches: 0 });

describe('running statistics', () => {
  it('has the documented defaults', () => {
    expect(CONVENTIONS.pytorch.momentum).toBe(0.1);
    expect(CONVENTIONS.pytorch.eps).toBe(1e-5);
    expect(CONVENTIONS.keras.momentum).toBe(0.99);
    expect(CONVENTIONS.keras.eps).toBe(1e-3);
  });

  it('PyTorch: (1 − m)·running + m·batch with the unbiased variance', () => {
    const r = updateRunningStats(start(), batch(), { convention: 'pytorch' });
    // batch mean 3, biased var 3.5, unbiased 14/3
    close(r.mean.dataSync(), [0.9 * 10 + 0.1 * 3]);
    close(r.variance.dataSync(), [0.9 * 2 + 0.1 * (14 / 3)]);
    expect(r.batches).toBe(1);
  });

  it('Keras/tfjs: m·moving + (1 − m)·batch with the biased variance', () => {
    const r = updateRunningStats(start(), batch(), { convention: 'keras' });
    close(r.mean.dataSync(), [0.99 * 10 + 0.01 * 3]);
    close(r.variance.dataSync(), [0.99 * 2 + 0.01 * 3.5]);
  });

  it('the two conventions agree when m_pytorch = 1 − m_keras, up to the variance estimate', () => {
    const p = updateRunningStats(start(), batch(), { convention: 'pytorch', momentum: 0.3 });
    const k = updateRunningStats(start(), batch(), { convention: 'keras', momentum: 0.7 });
    close(p.mean.dataSync(), k.mean.dataSync());
  });

  it('momentum null is the cumulative average over batches seen', () => {
    expect(batchWeight({ convention: 'pytorch', momentum: null }, 0)).toBe(1);
    expect(batchWeight({ convention: 'pytorch', momentum: null }, 3)).toBe(0.25);
    let r = { mean: tf.tensor1d([0]), variance: tf.tensor1d([1]), batches: 0 };
    const means = [4, 8, 0];
    for (const m of means) {
      const b = { mean: tf.tensor1d([m]), varianceBiased: tf.tensor1d([1]), varianceUnbiased: tf.tensor1d([1]) };
      r = updateRunningStats(r, b, { convention: 'pytorch', momentum: null });
    }
    close(r.mean.dataSync(), [4]);
    expect(() => batchWeight({ convention: 'keras', momentum: null }, 0)).toThrow(/no cumulative average/);
    expect(() => batchWeight({ convention: 'pytorch', momentum: 1.5 }, 0)).toThrow(/momentum must be between 0 and 1/);
  });

  it('momentum null over a stream of real batches equals their plain average', () => {
    const batches = [[[1], [3]], [[2], [6]], [[-4], [0]]].map((rows) => batchNormTrain(tf.tensor2d(rows), { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-5 }));
    let r = { mean: tf.tensor1d([100]), variance: tf.tensor1d([100]), batches: 0 };
    for (const b of batches) r = updateRunningStats(r, b, { convention: 'pytorch', momentum: null });
    close(r.mean.dataSync(), [(2 + 4 - 2) / 3]);
    // Unbiased variances of the three batches: 2, 8, 8.
    close(r.variance.dataSync(), [(2 + 8 + 8) / 3]);
    expect(r.batches).toBe(3);
  });

  it('a variance override shows what Bessel\'s correction changes', () => {
    const r = updateRunningStats(start(), batch(), { convention: 'pytorch', variance: 'biased' });
    close(r.variance.dataSync(), [0.9 * 2 + 0.1 * 3.5]);
  });

  it('leaks no tensors', () => {
    const s = start();
    const b = batch();
    expectNoLeak(() => {
      const r = updateRunningStats(s, b, { convention: 'pytorch' });
      return [r.mean, r.variance];
    });
  });
});
