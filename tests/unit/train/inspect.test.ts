import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../../../src/lib/kernels';
import { TwinTrainer } from '../../../src/lib/train/lab/trainer';
import { DEFAULT_CONFIG, type RunConfig } from '../../../src/lib/train/config';
import { GALLERY_SIZE } from '../../../src/lib/train/lab/inspect';
import { modelWeights } from '../../../src/lib/train/core/weights';
import type { PerRun } from '../../../src/lib/train/lab/protocol';
import type { ModelArtifactsJson } from '../../../src/lib/train/core/weights';
import { loadMnistFromPackage } from '../helpers/mnist-node';

const data = loadMnistFromPackage();
const config = (over: Partial<RunConfig> = {}): RunConfig => ({ ...DEFAULT_CONFIG, evalExamples: 300, instrument: false, ...over });

/** What the worker's export-model sends, for both twins. */
async function saveNetworks(trainer: TwinTrainer): Promise<PerRun<ModelArtifactsJson>> {
  const out: PerRun<ModelArtifactsJson> = {};
  for (const run of trainer.runs) {
    const { data: weightData, specs } = await tf.io.encodeWeights(modelWeights(run.model));
    out[run.name] = { config: trainer.config, weightSpecs: specs as never, weightData: weightData as ArrayBuffer };
  }
  return out;
}

const testImage = (i: number): Float32Array => Float32Array.from(data.test.images.subarray(i * 784, (i + 1) * 784), (v) => v / 255);

describe('the digit tools and saved networks (WASM)', () => {
  let trainer: TwinTrainer;
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
    trainer = new TwinTrainer(config({ steps: 60 }), data);
    while (!trainer.done) trainer.trainStep();
  });

  it('saves weights and running averages under stable names and restores them exactly', async () => {
    const saved = await saveNetworks(trainer);
    const names = saved.norm!.weightSpecs.map((s) => s.name);
    expect(names).toContain('layer0/norm/running_mean');
    expect(names).toContain('layer2/norm/running_variance');
    expect(saved.plain!.weightSpecs.some((s) => s.name.includes('norm'))).toBe(false);

    const restored = new TwinTrainer(config({ steps: 100 }), data);
    await restored.restore({ models: saved, step: 60 });
    expect(restored.step).toBe(60);
    const [a, b] = [await trainer.evaluate(300, undefined, { trainMode: false }), await restored.evaluate(300, undefined, { trainMode: false })];
    expect(b.norm!.inferAccuracy).toBe(a.norm!.inferAccuracy);
    expect(b.plain!.inferAccuracy).toBe(a.plain!.inferAccuracy);
    // The running averages came back too: inference-mode outputs agree to float precision.
    const pixels = testImage(3);
    const [pa, pb] = [await trainer.inspectDigit(pixels, 0), await restored.inspectDigit(pixels, 0)];
    pa.predictions.normInference.forEach((p, i) => expect(pb.predictions.normInference[i]).toBeCloseTo(p, 6));
    // And the restored run trains on from step 60.
    restored.trainStep();
    expect(restored.step).toBe(61);
    restored.dispose();
  });

  it('refuses a network saved for another architecture, saying which weight is wrong', async () => {
    const mlp = new TwinTrainer(config({ preset: 'mlp', steps: 1 }), data);
    const saved = await saveNetworks(mlp);
    const cnn = new TwinTrainer(config(), data);
    await expect(cnn.restore({ models: saved, step: 1 })).rejects.toThrow(/layer0\/weight" has shape 784×100/);
    mlp.dispose();
    cnn.dispose();
  });

  it('reads a digit four ways: probabilities that sum to 1; a batch of one differs from inference mode', async () => {
    const { predictions, maps } = await trainer.inspectDigit(testImage(0), 1);
    for (const row of Object.values(predictions) as number[][]) {
      expect(row).toHaveLength(10);
      expect(row.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
    }
    // Test digit 0 is a 7: the trained BN network in inference mode reads it.
    expect(predictions.normInference.indexOf(Math.max(...predictions.normInference))).toBe(7);
    const diff = predictions.normInference.reduce((m, p, i) => Math.max(m, Math.abs(p - predictions.normBatchOfOne[i]!)), 0);
    expect(diff).toBeGreaterThan(1e-5); // a different computation (its own statistics), not a copy
    // Layer 2 of the CNN: 16 channels of 14×14, before and after BN; the plain twin has no BN.
    expect([maps.norm.height, maps.norm.width, maps.norm.channels]).toEqual([14, 14, 16]);
    expect(maps.norm.before).toHaveLength(14 * 14 * 16);
    expect(maps.norm.after).toHaveLength(14 * 14 * 16);
    expect(maps.plain.after).toBeUndefined();
  });

  it('the final evaluation carries confusion matrices that add up to the accuracy', async () => {
    const results = await trainer.evaluate(500, undefined, { trainMode: false, confusion: true });
    for (const r of Object.values(results)) {
      const m = r!.confusion!;
      expect(m.reduce((s, v) => s + v, 0)).toBe(500);
      const diagonal = Array.from({ length: 10 }, (_, i) => m[i * 11]!).reduce((s, v) => s + v, 0);
      expect(diagonal / 500).toBeCloseTo(r!.inferAccuracy, 10);
      // Row sums are the class counts of the first 500 test labels.
      const labels = data.test.labels.subarray(0, 500);
      for (let c = 0; c < 10; c++) expect(m.slice(c * 10, c * 10 + 10).reduce((s, v) => s + v, 0)).toBe(labels.filter((l) => l === c).length);
    }
  });

  it('predicts the gallery digits in inference mode', async () => {
    const gallery = await trainer.galleryPredictions();
    expect(gallery.norm).toHaveLength(GALLERY_SIZE);
    const labels = Array.from(data.test.labels.subarray(0, GALLERY_SIZE));
    const right = gallery.norm!.filter((p, i) => p === labels[i]).length;
    expect(right).toBeGreaterThanOrEqual(18);
  });
});
