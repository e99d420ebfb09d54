import { beforeAll, describe, expect, it } from 'vitest';
import {
  batchNormBackward,
  batchNormInference,
  batchNormInferenceBackward,
  batchNormTrain,
  batchRenorm,
  batchWeight,
  BnInputError,
  conv2dSame,
  foldBatchNorm,
  groupNorm,
  instanceNorm,
  layerNorm,
  parseNumber,
  statisticSize,
  updateRunningStats,
} from '../../../src/lib/bn';
import { traceBatchNorm } from '../../../src/lib/bn/trace';
import { tf, useCpu } from './setup';

beforeAll(useCpu);

/** Every rejection is a BnInputError whose message matches. */
const rejects = (fn: () => unknown, message: RegExp): void => {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, 'expected a BnInputError').toBeInstanceOf(BnInputError);
  expect((caught as Error).message).toMatch(message);
};

const affine = (c = 2) => ({ gamma: tf.ones([c]), beta: tf.zeros([c]), eps: 1e-5 });
const inference = (c = 2) => ({ ...affine(c), runningMean: tf.zeros([c]), runningVar: tf.ones([c]) });

describe('forward passes', () => {
  it('rank must be 2 or 4', () => {
    rejects(() => batchNormTrain(tf.zeros([2, 2, 2]), affine()), /rank 2 or 4 \(\[N, C\] or \[N, H, W, C\]\), got rank 3 with shape \[2, 2, 2\]/);
    rejects(() => batchNormInference(tf.zeros([4]), inference()), /got rank 1/);
    rejects(() => groupNorm(tf.zeros([4, 2]) as unknown as tf.Tensor4D, { ...affine(), groups: 1 }), /rank 4 \(\[N, H, W, C\]\)/);
  });
  it('γ, β and running statistics need one value per channel', () => {
    rejects(() => batchNormTrain(tf.zeros([4, 2]), { ...affine(), gamma: tf.ones([3]) }), /gamma must have one value per channel: expected shape \[2\], got \[3\]/);
    rejects(() => batchNormTrain(tf.zeros([4, 2]), { ...affine(), beta: tf.zeros([2, 1]) }), /beta must have one value per channel/);
    rejects(() => batchNormInference(tf.zeros([4, 2]), { ...inference(), runningMean: tf.zeros([1]) }), /running mean must have one value per channel/);
    rejects(() => batchNormInference(tf.zeros([4, 2]), { ...inference(), runningVar: tf.ones([5]) }), /running variance must have one value per channel/);
    rejects(() => layerNorm(tf.zeros([1, 2, 2, 3]) as tf.Tensor4D, affine(2)), /gamma must have one value per channel: expected shape \[3\]/);
  });
  it('values must be finite', () => {
    rejects(() => batchNormTrain(tf.tensor2d([[1, 2], [NaN, 3]]), affine()), /input contains a non-finite value \(NaN\) at index 2/);
    rejects(() => batchNormTrain(tf.tensor2d([[1, 2], [3, 4]]), { ...affine(), gamma: tf.tensor1d([1, Infinity]) }), /gamma contains a non-finite value/);
    rejects(() => batchNormInference(tf.zeros([2, 2]), { ...inference(), runningMean: tf.tensor1d([0, -Infinity]) }), /running mean contains a non-finite value/);
    rejects(() => instanceNorm(tf.fill([1, 2, 2, 2], NaN) as tf.Tensor4D, affine()), /non-finite/);
  });
  it('a running variance must not be negative', () => {
    rejects(() => batchNormInference(tf.zeros([2, 2]), { ...inference(), runningVar: tf.tensor1d([1, -0.5]) }), /running variance must not be negative; got -0.5 at index 1/);
  });
  it('ε must be finite and greater than 0', () => {
    for (const eps of [0, -1e-5, Number.NaN, Infinity]) {
      rejects(() => batchNormTrain(tf.zeros([4, 2]), { ...affine(), eps }), /epsilon must be a finite number greater than 0/);
      rejects(() => batchNormInference(tf.zeros([4, 2]), { ...inference(), eps }), /epsilon/);
      rejects(() => groupNorm(tf.zeros([1, 2, 2, 2]) as tf.Tensor4D, { ...affine(), eps, groups: 2 }), /epsilon/);
    }
  });
  it('training refuses one value per channel and says why, like PyTorch', () => {
    rejects(
      () => batchNormTrain(tf.zeros([1, 3]), affine(3)),
      /^Expected more than 1 value per channel when training: the batch variance of a single value is 0 and the normalized output would be meaningless.*\(got input shape \[1, 3\]\)/,
    );
    rejects(() => batchNormTrain(tf.zeros([1, 1, 1, 3]), affine(3)), /got input shape \[1, 1, 1, 3\]/);
    // Inference with one example is fine, and so is BatchNorm2d with N = 1 but H·W > 1.
    expect(() => batchNormInference(tf.zeros([1, 2]), inference())).not.toThrow();
    expect(() => batchNormTrain(tf.zeros([1, 2, 1, 2]), affine())).not.toThrow();
  });
  it('validate: false skips the readbacks (the trainer hot path)', () => {
    expect(() => batchNormTrain(tf.tensor2d([[NaN, 1], [2, 3]]), { ...affine(), validate: false })).not.toThrow();
  });
  it('GroupNorm needs a group count that divides C', () => {
    for (const groups of [3, 0, 1.5, -2]) rejects(() => groupNorm(tf.zeros([1, 2, 2, 4]) as tf.Tensor4D, { ...affine(4), groups }), /groups must be a whole number that divides the 4 channels; got/);
    rejects(() => statisticSize('group', [2, 3, 3, 4], 3), /divides the 4 channels/);
  });
});

describe('running statistics', () => {
  const batch = () => ({ mean: tf.zeros([2]) as tf.Tensor1D, varianceBiased: tf.ones([2]) as tf.Tensor1D, varianceUnbiased: tf.ones([2]) as tf.Tensor1D });
  const running = () => ({ mean: tf.zeros([2]) as tf.Tensor1D, variance: tf.ones([2]) as tf.Tensor1D, batches: 0 });
  it('momentum must lie in [0, 1]', () => {
    for (const momentum of [-0.1, 1.5, Number.NaN]) {
      rejects(() => batchWeight({ convention: 'pytorch', momentum }, 0), /momentum must be between 0 and 1/);
      rejects(() => updateRunningStats(running(), batch(), { convention: 'keras', momentum }), /momentum must be between 0 and 1/);
    }
  });
  it('the cumulative average is PyTorch-only and needs a batch count', () => {
    rejects(() => batchWeight({ convention: 'keras', momentum: null }, 0), /Keras convention has no cumulative average/);
    rejects(() => batchWeight({ convention: 'pytorch', momentum: null }, -1), /batches already seen/);
  });
  it('statistics must match in length', () => {
    rejects(() => updateRunningStats({ ...running(), variance: tf.ones([3]) as tf.Tensor1D }, batch(), { convention: 'pytorch' }), /running variance must have one value per channel: expected shape \[2\]/);
  });
});

describe('backward, renorm and fold', () => {
  it('backward checks dy and the batch', () => {
    rejects(() => batchNormBackward(tf.zeros([4, 2]), tf.ones([2]) as tf.Tensor1D, tf.zeros([4, 3]), 1e-5), /dy must have the input's shape \[4, 2\], got \[4, 3\]/);
    rejects(() => batchNormBackward(tf.zeros([1, 2]), tf.ones([2]) as tf.Tensor1D, tf.zeros([1, 2]), 1e-5), /more than 1 value per channel/);
    const ones = tf.ones([2]) as tf.Tensor1D;
    rejects(() => batchNormInferenceBackward(tf.zeros([4, 2]), ones, tf.zeros([3]) as tf.Tensor1D, ones, tf.zeros([4, 2]), 1e-5), /running mean must have one value per channel/);
  });
  it('renorm checks r_max and d_max', () => {
    const x = tf.randomNormal([4, 2]);
    rejects(() => batchRenorm(x, { ...inference(), rMax: 0.5, dMax: 0 }), /r_max must be a finite number ≥ 1/);
    rejects(() => batchRenorm(x, { ...inference(), rMax: 1, dMax: -1 }), /d_max must be a finite number ≥ 0/);
    rejects(() => batchRenorm(tf.zeros([1, 2]), { ...inference(), rMax: 1, dMax: 0 }), /more than 1 value per channel/);
  });
  it('fold and conv check their shapes', () => {
    const filter = tf.zeros([3, 3, 2, 4]) as tf.Tensor4D;
    const bn = { gamma: tf.ones([4]) as tf.Tensor1D, beta: tf.zeros([4]) as tf.Tensor1D, runningMean: tf.zeros([4]) as tf.Tensor1D, runningVar: tf.ones([4]) as tf.Tensor1D, eps: 1e-5 };
    rejects(() => foldBatchNorm({ ...bn, filter, bias: tf.zeros([2]) as tf.Tensor1D }), /bias must have one value per channel: expected shape \[4\]/);
    rejects(() => foldBatchNorm({ ...bn, filter: tf.zeros([3, 3, 4]) as unknown as tf.Tensor4D, bias: tf.zeros([4]) as tf.Tensor1D }), /HWIO/);
    rejects(() => conv2dSame(tf.zeros([1, 4, 4, 3]) as tf.Tensor4D, filter, tf.zeros([4]) as tf.Tensor1D), /filter expects 2 input channels, the input has 3/);
  });
});

describe('the exact trace and the typed inputs', () => {
  const p = { gamma: 1, beta: 0, eps: 1e-5 };
  it.each([
    [[], /batch is empty/],
    [[7], /one value has zero variance/],
    [[1, NaN], /"NaN" is not a finite number/],
    [[1, Infinity], /"Infinity" is not a finite number/],
    [['1', 'abc'], /"abc" is not a number/],
    [['1', '0x10'], /"0x10" is not a number/],
    [['1', ''], /"" is not a number/],
    [Array.from({ length: 4097 }, () => 1), /4097 values; the most this page traces is 4096/],
  ] as Array<[Array<number | string>, RegExp]>)('traceBatchNorm rejects %j', (values, message) => {
    rejects(() => traceBatchNorm(values, p), message);
  });
  it('traceBatchNorm checks γ, β and ε', () => {
    rejects(() => traceBatchNorm([1, 2], { ...p, gamma: 'x' }), /gamma: "x" is not a number/);
    rejects(() => traceBatchNorm([1, 2], { ...p, beta: NaN }), /beta: "NaN" is not a finite number/);
    rejects(() => traceBatchNorm([1, 2], { ...p, eps: 0 }), /epsilon must be greater than 0/);
    rejects(() => traceBatchNorm([1, 2], { ...p, eps: '-1e-5' }), /epsilon must be greater than 0/);
  });
  it('parseNumber names the field', () => {
    rejects(() => parseNumber('  ', 'gamma'), /gamma is empty/);
    rejects(() => parseNumber('1,5', 'beta'), /beta: "1,5" is not a number/);
    rejects(() => parseNumber('-inf', 'epsilon'), /epsilon: "-inf" is not a finite number/);
    // Finite in float64 but past what float32 tensors can square and sum.
    rejects(() => parseNumber('9'.repeat(100), 'The example'), /beyond ±1e15/);
    rejects(() => parseNumber('-2e15', 'x'), /beyond ±1e15/);
    expect(parseNumber('-1e15', 'x')).toBe(-1e15);
  });
  it('epsilon below the smallest normal float32 is refused', () => {
    rejects(() => batchNormTrain(tf.tensor2d([1, 2], [2, 1]), { gamma: tf.ones([1]), beta: tf.zeros([1]), eps: 1e-40 }), /smallest normal 32-bit float/);
  });
});
