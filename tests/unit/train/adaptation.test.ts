import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { evaluateShift, loadForAdaptation, trainForAdaptation, ADAPTATION_RUN, type PreciseCheckpoint } from '../../../src/lib/train/chapter/adaptation';
import { DEFAULT_CONFIG } from '../../../src/lib/train/config';
import type { ModelArtifactsJson } from '../../../src/lib/train/core/weights';
import { modelWeights } from '../../../src/lib/train/core/weights';
import { registerLabKernels } from '../../../src/lib/kernels';
import { loadMnistFromPackage } from '../helpers/mnist-node';

describe("the chapter's test-time adaptation run (section 4)", () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
  });

  it('re-estimated statistics recover a brightness shift, agree with the stored ones without it, and nothing leaks', async () => {
    const data = loadMnistFromPackage();
    const baseline = tf.memory().numTensors;
    const checkpoints: PreciseCheckpoint[] = [];
    let steps = 0;
    const trained = await trainForAdaptation(data, (s) => (steps = s), (c) => checkpoints.push(c));
    try {
      expect(steps).toBe(ADAPTATION_RUN.steps);
      expect(checkpoints.map((c) => c.step)).toEqual(Array.from({ length: ADAPTATION_RUN.steps / ADAPTATION_RUN.checkEvery }, (_, i) => (i + 1) * ADAPTATION_RUN.checkEvery));
      const held = tf.memory().numTensors;
      const clean = await evaluateShift(trained, 'brightness', 0, 7);
      const shifted = await evaluateShift(trained, 'brightness', 0.5, 7);
      expect(tf.memory().numTensors).toBe(held);
      expect(clean.stored).toBeGreaterThan(0.9);
      expect(Math.abs(clean.reestimated - clean.stored)).toBeLessThan(0.03);
      expect(shifted.reestimated).toBeGreaterThanOrEqual(shifted.stored + 0.05);
      expect(shifted.before.mean).toHaveLength(8);
      expect(shifted.preview).toHaveLength(6 * 784);

      // The same network saved as the lab saves it and loaded back (the reader's lab network):
      // the same answers, to the bit.
      const { data: weightData, specs } = await tf.io.encodeWeights(modelWeights(trained.model));
      const saved: ModelArtifactsJson = { config: { ...DEFAULT_CONFIG, groups: 1 }, weightSpecs: specs as ModelArtifactsJson['weightSpecs'], weightData: weightData as ArrayBuffer };
      const loaded = loadForAdaptation(data, saved);
      try {
        expect(await evaluateShift(loaded, 'brightness', 0.5, 7)).toEqual(shifted);
      } finally {
        loaded.dispose();
      }
      expect(() => loadForAdaptation(data, { ...saved, config: { ...saved.config, preset: 'mlp' } })).toThrow(/needs the lab's CNN with batch norm/);
      expect(() => loadForAdaptation(data, { ...saved, weightSpecs: saved.weightSpecs.slice(1) })).toThrow();
      expect(tf.memory().numTensors).toBe(held);
    } finally {
      trained.dispose();
    }
    expect(tf.memory().numTensors).toBe(baseline);
  }, 120_000);
});
