import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchNormBackward,
  batchNormInference,
  batchNormInferenceBackward,
  batchNormTrain,
  batchRenorm,
  conv2dSame,
  foldBatchNorm,
  groupNorm,
  instanceNorm,
  layerNorm,
  updateRunningStats,
} from '../../../src/lib/bn';
import { runGoldenCase } from '../../golden/runner';
import { expectNoLeak, tf, useCpu } from './setup';

beforeAll(useCpu);

/** Each public function leaves behind exactly the tensors it returns, on success and on error. */
describe('no tensor leaks', () => {
  const x2 = tf.randomNormal([6, 3], 0, 1, 'float32', 1);
  const x4 = tf.randomNormal([2, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
  const c3 = () => ({ gamma: tf.tensor1d([1, -2, 0.5]), beta: tf.tensor1d([0, 1, 2]), eps: 1e-5 });
  const c4 = { gamma: tf.ones([4]) as tf.Tensor1D, beta: tf.zeros([4]) as tf.Tensor1D, eps: 1e-5 };
  const p3 = { ...c3(), runningMean: tf.tensor1d([0, 1, -1]), runningVar: tf.tensor1d([1, 2, 0.5]) };
  const dy2 = tf.randomNormal([6, 3], 0, 1, 'float32', 3);
  const filter = tf.randomNormal([3, 3, 4, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const bias = tf.zeros([3]) as tf.Tensor1D;
  const single = tf.zeros([1, 3]);

  it.each([
    ['batchNormTrain', () => batchNormTrain(x2, p3)],
    ['batchNormTrain NHWC', () => batchNormTrain(x4, c4)],
    ['batchNormInference', () => batchNormInference(x2, p3)],
    ['batchNormBackward', () => batchNormBackward(x2, p3.gamma, dy2, 1e-5)],
    ['batchNormInferenceBackward', () => batchNormInferenceBackward(x2, p3.gamma, p3.runningMean, p3.runningVar, dy2, 1e-5)],
    ['groupNorm', () => groupNorm(x4, { ...c4, groups: 2 })],
    ['layerNorm', () => layerNorm(x4, c4)],
    ['instanceNorm', () => instanceNorm(x4, c4)],
    ['batchRenorm', () => batchRenorm(x2, { ...p3, rMax: 2, dMax: 1 })],
    ['foldBatchNorm', () => foldBatchNorm({ filter, bias, ...p3 })],
    ['conv2dSame', () => conv2dSame(x4, filter, bias)],
  ] as Array<[string, () => tf.TensorContainer]>)('%s', (_name, fn) => {
    expectNoLeak(fn);
  });

  it('updateRunningStats', () => {
    const batch = batchNormTrain(x2, p3);
    for (const convention of ['pytorch', 'keras'] as const) {
      expectNoLeak(() => {
        const r = updateRunningStats({ mean: p3.runningMean, variance: p3.runningVar, batches: 0 }, batch, { convention });
        return [r.mean, r.variance];
      });
    }
  });

  it('rejected inputs allocate nothing', () => {
    expectNoLeak(() => void expect(() => batchNormTrain(single, p3)).toThrow());
  });

  it('the golden runner, passing and failing', () => {
    const real = JSON.parse(readFileSync(new URL('../../../../shared/golden/bn2d_train.json', import.meta.url), 'utf8'));
    expectNoLeak(() => void expect(runGoldenCase(real).ok).toBe(true));
    expectNoLeak(() => void expect(runGoldenCase({ ...real, inputs: { ...real.inputs, dy: { shape: [1], data: [0] } } }).ok).toBe(false));
  });
});
