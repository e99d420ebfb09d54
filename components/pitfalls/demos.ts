import type * as tfTypes from '@tensorflow/tfjs-core';
import { batchNormInference, batchNormTrain, updateRunningStats, type RunningStats } from '../../src/lib/bn';
import { sampleActivations, seededRng } from '../../src/lib/data/random';
import { buildModel } from '../../src/lib/train/core/model';
import { formatList, formatNumber } from '../../src/lib/widget/dom';
import { meanAndStd } from '../../src/lib/widget/summary';

type Tf = typeof tfTypes;
export type Row = [label: string, value: string];
export type DemoName = 'train-mode' | 'unused' | 'batch-one' | 'fine-tune' | 'placement';

const unit = (tf: Tf) => ({ gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-5 });
const errorText = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (err) {
    return (err as Error).message;
  }
};

/** What the next layer receives with BN before and after the ReLU: 256 examples × 16 channels. */
function placementTensors(tf: Tf, seed: number): { before: tfTypes.Tensor; after: tfTypes.Tensor } {
  const z = tf.matMul(tf.randomNormal([256, 16], 0.5, 1, 'float32', seed), tf.randomNormal([16, 16], 0, 0.5, 'float32', seed + 1));
  const p = { gamma: tf.ones([16]), beta: tf.zeros([16]), eps: 1e-5 };
  return { before: tf.relu(batchNormTrain(z, p).y), after: batchNormTrain(tf.relu(z), p).y };
}

/** The same run's values, for the histograms beside the numbers. */
export function placementValues(tf: Tf, seed: number): { before: Float32Array; after: Float32Array } {
  return tf.tidy(() => {
    const { before, after } = placementTensors(tf, seed);
    return { before: before.dataSync() as Float32Array, after: after.dataSync() as Float32Array };
  });
}

/** Each demo is a small real computation with the site's BN library; rows are what the page shows. */
export const DEMOS: Record<DemoName, (tf: Tf, seed: number) => Row[]> = {
  'train-mode'(tf, seed) {
    const examples = [0.5, 1, 2];
    const others = Array.from(sampleActivations(5, { mean: 0, spread: 1, skew: 0, outliers: 0 }, seededRng(seed)));
    return tf.tidy(() => {
      const p = { ...unit(tf), runningMean: tf.zeros([1]), runningVar: tf.ones([1]) };
      const infer = batchNormInference(tf.tensor2d(examples, [3, 1]), p).dataSync();
      const together = batchNormTrain(tf.tensor2d(examples, [3, 1]), unit(tf)).y.dataSync();
      const mixed = batchNormTrain(tf.tensor2d([...examples, ...others], [8, 1]), unit(tf)).y.dataSync().slice(0, 3);
      // Evaluating in training mode also moves PyTorch's running averages toward the test data.
      let running: RunningStats = { mean: tf.zeros([1]), variance: tf.ones([1]), batches: 0 };
      const rng = seededRng(seed + 1);
      for (let i = 0; i < 20; i++) {
        const x = sampleActivations(16, { mean: 2, spread: 1, skew: 0, outliers: 0 }, rng);
        running = updateRunningStats(running, batchNormTrain(tf.tensor2d(x, [16, 1]), unit(tf)), { convention: 'pytorch' });
      }
      return [
        ['examples x', formatList(examples)],
        ['inference mode (running mean 0, variance 1)', formatList(infer)],
        ['training mode, the three as one batch', formatList(together)],
        ['training mode, shuffled in with five other test values', formatList(mixed)],
        ['training mode, one example at a time', errorText(() => batchNormTrain(tf.tensor2d([0.5], [1, 1]), unit(tf)))],
        ['running mean after 20 test batches (mean 2) in training mode', formatNumber(running.mean.dataSync()[0]!, 4)],
      ] satisfies Row[];
    });
  },
  unused(tf, seed) {
    return tf.tidy(() => {
      const spec = { preset: 'mlp' as const, placement: 'before' as const, groups: 4, convention: 'pytorch' as const };
      const plain = buildModel({ ...spec, norm: null }, seed);
      const unused = buildModel({ ...spec, norm: 'unused-bn' }, seed);
      const real = buildModel({ ...spec, norm: 'bn' }, seed);
      const x = tf.randomUniform([16, 784], 0, 1, 'float32', seed);
      const out = (m: typeof plain) => m.forwardTrain(x, []);
      const diff = (a: tfTypes.Tensor, b: tfTypes.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
      const count = (vs: tfTypes.Variable[]) => vs.reduce((n, v) => n + v.size, 0);
      const built = (m: typeof plain) => count(m.layers.flatMap((l) => [l.weight, l.bias, ...(l.norm ? [l.norm.gamma, l.norm.beta] : [])])) + count([m.head.weight, m.head.bias]);
      const rows: Row[] = [
        ['parameters constructed: plain, "BN" never called, BN called', `${built(plain)}, ${built(unused)}, ${built(real)}`],
        ['parameters the forward pass uses', `${count(plain.trainable)}, ${count(unused.trainable)}, ${count(real.trainable)}`],
        ['largest |output difference|, "BN" never called vs plain', formatNumber(diff(out(unused), out(plain)), 3)],
        ['largest |output difference|, BN called vs plain', formatNumber(diff(out(real), out(plain)), 3)],
      ];
      for (const m of [plain, unused, real]) m.dispose();
      return rows;
    });
  },
  'batch-one'(tf) {
    return tf.tidy(() => {
      const image = tf.randomNormal([1, 4, 4, 3], 0, 1, 'float32', 3);
      const ok = batchNormTrain(image, { gamma: tf.ones([3]), beta: tf.zeros([3]), eps: 1e-5 });
      return [
        ['dense layer, batch of one [1, 3]', errorText(() => batchNormTrain(tf.zeros([1, 3]), { gamma: tf.ones([3]), beta: tf.zeros([3]), eps: 1e-5 }))],
        ['conv layer, one 4×4 image [1, 4, 4, 3]: values per channel', `${ok.y.size / 3} (trains on spatial statistics)`],
        ['its per-channel variances', formatList(ok.varianceBiased.dataSync(), 4)],
      ] satisfies Row[];
    });
  },
  'fine-tune'(tf, seed) {
    // Pretrained statistics (mean 0, variance 1), fine-tuning data with mean 1.5 and std 0.5, batches of 2.
    const rng = seededRng(seed);
    let live: RunningStats = { mean: tf.zeros([1]), variance: tf.ones([1]), batches: 0 };
    const means: number[] = [];
    for (let step = 0; step < 30; step++) {
      const x = sampleActivations(2, { mean: 1.5, spread: 0.5, skew: 0, outliers: 0 }, rng);
      const batch = tf.tidy(() => {
        const r = batchNormTrain(tf.tensor2d(x, [2, 1]), unit(tf));
        return { mean: r.mean, varianceBiased: r.varianceBiased, varianceUnbiased: r.varianceUnbiased };
      });
      const next = updateRunningStats(live, batch, { convention: 'pytorch' });
      tf.dispose([batch, live.mean, live.variance]);
      live = next;
      means.push(live.mean.dataSync()[0]!);
    }
    const wobble = meanAndStd(means.slice(-10)).std;
    const rows: Row[] = [
      ['frozen BN: running mean and variance after 30 steps', '0, 1 (unchanged)'],
      ['live BN: running mean and variance after 30 steps', `${formatNumber(live.mean.dataSync()[0]!, 4)}, ${formatNumber(live.variance.dataSync()[0]!, 4)}`],
      ['live BN: running mean, std over the last 10 steps', formatNumber(wobble, 3)],
    ];
    tf.dispose([live.mean, live.variance]);
    return rows;
  },
  placement(tf, seed) {
    return tf.tidy(() => {
      const { before, after } = placementTensors(tf, seed);
      const describe = (t: tfTypes.Tensor) => {
        const { mean, variance } = tf.moments(t);
        const zeros = tf.mean(tf.cast(tf.lessEqual(t, 0), 'float32'));
        return `mean ${formatNumber(mean.dataSync()[0]!, 3)}, std ${formatNumber(Math.sqrt(variance.dataSync()[0]!), 3)}, ${formatNumber(zeros.dataSync()[0]! * 100, 3)}% ≤ 0`;
      };
      return [
        ['BN before ReLU: what the next layer receives', describe(before)],
        ['BN after ReLU: what the next layer receives', describe(after)],
      ] satisfies Row[];
    });
  },
};
