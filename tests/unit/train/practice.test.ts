import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerLabKernels } from '../../../src/lib/kernels';
import { buildModel } from '../../../src/lib/train/core/model';
import { accumulationGaps, copyModel, fineTune, sortedBatches, tentStep } from '../../../src/lib/train/chapter/practice';
import { ACCUMULATION_RUN, FINETUNE_MODES } from '../../../src/lib/train/chapter/practice-runs';
import { modelWeights } from '../../../src/lib/train/core/weights';
import { loadMnistFromPackage } from '../helpers/mnist-node';

/**
 * BN in practice's worker computations on real MNIST. The claims about a trained network (frozen
 * BN, sorted batches, TENT) are checked by the browser test on the chapter's own run; here the
 * accumulation claim, the bookkeeping, and that nothing leaks or touches the source network.
 */
describe('BN in practice: the chapter worker computations', () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
  });
  const data = loadMnistFromPackage();

  it('accumulated micro-batch gradients equal the batch gradient without BN (to 1e-5) and not with it', () => {
    const before = tf.memory().numTensors;
    const { points, headBias } = accumulationGaps(data);
    expect(tf.memory().numTensors).toBe(before);
    expect(points.map((p) => p.microBatch)).toEqual([...ACCUMULATION_RUN.microBatches]);
    for (const p of points) {
      expect(p.plainGap).toBeLessThan(1e-5);
      expect(p.bnGap).toBeGreaterThan(1e-2);
      // A micro-batch's variance around its own mean is at most the batch's, on average.
      expect(p.varianceRatio).toBeLessThanOrEqual(1);
    }
    // Smaller micro-batches, larger difference.
    expect(points[0]!.bnGap).toBeGreaterThan(points.at(-1)!.bnGap);
    const four = headBias.find((h) => h.microBatch === 4)!;
    expect(four.bn.micro).toHaveLength(ACCUMULATION_RUN.batchSize / 4);
    expect(four.plain.whole).toHaveLength(10);
  }, 60_000);

  it('fine-tuning, sorted batches and TENT leave the source network as it was and free what they use', async () => {
    const source = buildModel({ preset: 'cnn', norm: 'bn', placement: 'before', groups: 1, convention: 'pytorch' }, 1);
    const snapshot = async () => Promise.all(modelWeights(source).map(async (w) => Array.from(await w.tensor.data())));
    const weights = await snapshot();
    const before = tf.memory().numTensors;
    const copy = copyModel(source);
    expect(await Promise.all(modelWeights(copy).map(async (w) => Array.from(await w.tensor.data())))).toEqual(weights);
    copy.dispose();
    let steps = 0;
    const points = await fineTune(data, source, 2, () => steps++, { steps: 4, checkEvery: 2, testExamples: 100 });
    expect(steps).toBe(3 * 4);
    expect(points.map((p) => `${p.mode}@${p.step}`)).toEqual(FINETUNE_MODES.flatMap(([mode]) => [0, 2, 4].map((s) => `${mode}@${s}`)));
    const sorted = await sortedBatches(data, source, 50);
    for (const v of Object.values(sorted)) expect(v).toBeGreaterThanOrEqual(0);
    const tent = await tentStep(data, source, 'noise', 0.5, { testExamples: 200 });
    expect(tent.entropyBefore).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
    expect(await snapshot()).toEqual(weights);
    source.dispose();
  }, 120_000);
});
