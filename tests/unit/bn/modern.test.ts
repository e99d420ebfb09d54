import { beforeAll, describe, expect, it } from 'vitest';
import { dropoutVarianceShift, ghostBatchStats, sequenceBatchMoments, syncedStats, tokenMoments } from '../../../src/lib/bn';
import { seededRng, normal } from '../../../src/lib/data/random';
import { close, expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

/** Plain-JS mean and biased variance. */
const moments = (v: number[]) => {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return { mean, variance: v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length };
};

describe('ghost batches and SyncBN', () => {
  const [n, h, w, c] = [8, 3, 2, 3];
  const data = Array.from({ length: n * h * w * c }, (_, i) => Math.sin(i * 1.7) * 3 + (i % c));
  const x = () => tf.tensor4d(data, [n, h, w, c]);

  it('each ghost batch gets the statistics of its own consecutive examples', () => {
    const g = 4;
    const stats = ghostBatchStats(x(), g);
    const means = stats.means.arraySync();
    const variances = stats.variances.arraySync();
    const per = (n / g) * h * w * c;
    for (let k = 0; k < g; k++) {
      for (let ch = 0; ch < c; ch++) {
        const values = data.slice(k * per, (k + 1) * per).filter((_, i) => i % c === ch);
        const want = moments(values);
        expect(means[k]![ch]).toBeCloseTo(want.mean, 4);
        expect(variances[k]![ch]).toBeCloseTo(want.variance, 4);
      }
    }
  });

  it("SyncBN's pooled statistics equal the whole batch's", () => {
    for (const g of [1, 2, 8]) {
      const synced = syncedStats(ghostBatchStats(x(), g));
      const whole = tf.moments(x(), [0, 1, 2]);
      close(synced.mean.dataSync(), whole.mean.dataSync(), 1e-5);
      close(synced.variance.dataSync(), whole.variance.dataSync(), 1e-4);
    }
  });

  it('refuses a split that does not divide the batch, and leaks nothing', () => {
    expect(() => ghostBatchStats(x(), 3)).toThrow(/do not divide/);
    const input = x();
    expectNoLeak(() => {
      const ghost = ghostBatchStats(input, 2);
      const synced = syncedStats(ghost);
      tf.dispose([ghost.means, ghost.variances]);
      return synced;
    });
    input.dispose();
  });
});

describe('padded sequences', () => {
  // Two sequences of lengths 3 and 1, padded to 3, two features.
  const values = [
    [[1, 10], [2, 20], [3, 30]],
    [[5, -4], [0, 0], [0, 0]],
  ];
  const maskRows = [[1, 1, 1], [1, 0, 0]];

  it('masked BN statistics use only the real tokens; unmasked ones count the padding', () => {
    const x = tf.tensor3d(values);
    const mask = tf.tensor2d(maskRows);
    const masked = sequenceBatchMoments(x, mask, { masked: true });
    const plain = sequenceBatchMoments(x, mask, { masked: false });
    for (let f = 0; f < 2; f++) {
      const real = [values[0]![0]![f]!, values[0]![1]![f]!, values[0]![2]![f]!, values[1]![0]![f]!];
      const all = [...real, 0, 0];
      expect(masked.mean.dataSync()[f]).toBeCloseTo(moments(real).mean, 5);
      expect(masked.variance.dataSync()[f]).toBeCloseTo(moments(real).variance, 4);
      expect(plain.mean.dataSync()[f]).toBeCloseTo(moments(all).mean, 5);
      expect(plain.variance.dataSync()[f]).toBeCloseTo(moments(all).variance, 4);
    }
  });

  it("LayerNorm's statistics are per token, over its features", () => {
    const t = tokenMoments(tf.tensor3d(values));
    expect(t.mean.arraySync()[0]![1]).toBeCloseTo(11, 5);
    expect(t.variance.arraySync()[0]![1]).toBeCloseTo(81, 4);
    expect(t.variance.arraySync()[1]![2]).toBe(0);
  });
});

describe('dropout variance shift', () => {
  it('matches a Monte Carlo estimate of inverted dropout', () => {
    const rng = seededRng(5);
    const [mu, sigma, p] = [0.8, 1.3, 0.4];
    const trained: number[] = [];
    for (let i = 0; i < 200_000; i++) {
      const x = mu + sigma * normal(rng);
      trained.push(rng() < p ? 0 : x / (1 - p));
    }
    const shift = dropoutVarianceShift(mu, sigma * sigma, p);
    expect(shift.trainVariance).toBeCloseTo(moments(trained).variance, 1);
    expect(shift.evalVariance).toBe(sigma * sigma);
    expect(shift.bnOutputVariance).toBeCloseTo((sigma * sigma) / moments(trained).variance, 2);
  });

  it('is no shift at p = 0 and refuses p ≥ 1', () => {
    expect(dropoutVarianceShift(1, 2, 0).bnOutputVariance).toBeCloseTo(1, 12);
    expect(() => dropoutVarianceShift(1, 2, 1)).toThrow();
  });
});
