import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerLabKernels } from '../../../src/lib/kernels';
import { TwinTrainer } from '../../../src/lib/train/lab/trainer';
import { DEFAULT_CONFIG, type RunConfig } from '../../../src/lib/train/config';
import { parseIdx } from '../../../src/lib/data/idx';
import { loadMnistFromPackage } from '../helpers/mnist-node';

const data = loadMnistFromPackage();
const config = (over: Partial<RunConfig>): RunConfig => ({ ...DEFAULT_CONFIG, evalExamples: 500, ...over });

describe('MNIST IDX parsing', () => {
  it('reads the real files: 60k/10k images of 28×28 with labels 0–9', () => {
    expect(data.train.count).toBe(60000);
    expect(data.test.count).toBe(10000);
    expect(data.train.images.length).toBe(60000 * 784);
    expect(Math.max(...data.test.labels)).toBe(9);
  });
  it('rejects a truncated file with a clear error', () => {
    const bad = new Uint8Array([0, 0, 8, 1, 0, 0, 0, 5, 1, 2]);
    expect(() => parseIdx(bad)).toThrow(/needs 5/);
  });
});

describe('twin trainer on WASM', () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
  });

  it('trains the CNN twins on real MNIST with a flat tensor count', async () => {
    const trainer = new TwinTrainer(config({ steps: 40, metricsEvery: 10 }), data);
    const first = await (async () => {
      trainer.trainStep();
      return trainer.readMetrics();
    })();
    let tensorsAfterWarmup = 0;
    while (!trainer.done) {
      trainer.trainStep();
      if (trainer.step === 10) {
        await trainer.readMetrics();
        tensorsAfterWarmup = tf.memory().numTensors;
      }
    }
    const last = await trainer.readMetrics();
    expect(tf.memory().numTensors).toBe(tensorsAfterWarmup);
    for (const name of ['norm', 'plain'] as const) {
      expect(last[name]!.loss).toBeLessThan(first[name]!.loss);
      expect(last[name]!.percentiles).toHaveLength(3);
    }
    expect(last.norm!.running).toHaveLength(3);
    const evals = await trainer.evaluate(500);
    expect(evals.norm!.inferAccuracy).toBeGreaterThan(0.6);
    trainer.dispose();
  }, 120_000);

  it('starts both twins from identical weights', () => {
    const trainer = new TwinTrainer(config({ steps: 1 }), data);
    const [a, b] = trainer.runs;
    a!.model.layers.forEach((layer, i) => {
      const other = b!.model.layers[i]!;
      expect(Array.from(layer.weight.dataSync())).toEqual(Array.from(other.weight.dataSync()));
    });
    trainer.dispose();
  });

  it('the unused-BN model computes exactly what the plain model does', async () => {
    const trainer = new TwinTrainer(config({ steps: 5, norm: 'unused-bn', optimizer: 'sgd', learningRate: 0.05 }), data);
    while (!trainer.done) trainer.trainStep();
    const m = await trainer.readMetrics();
    expect(m.norm!.loss).toBeCloseTo(m.plain!.loss, 5);
    trainer.dispose();
  }, 60_000);
});
