import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { trainForAdaptation } from '../../../src/lib/train/adaptation';
import { registerWasmConvGradient } from '../../../src/lib/train/conv-gradient';
import { accumulationGaps, fineTune, sortedBatches, tentStep } from '../../../src/lib/train/practice';
import { loadMnistFromPackage } from '../helpers/mnist-node';

describe('BN in practice: the chapter worker computations', () => {
  beforeAll(async () => {
    registerWasmConvGradient();
    await tf.setBackend('wasm');
  });

  it('experiment', async () => {
    const data = loadMnistFromPackage();
    let t = Date.now();
    const gaps = accumulationGaps(data);
    console.log('acc', Date.now() - t, JSON.stringify(gaps));
    t = Date.now();
    const trained = await trainForAdaptation(data, () => {}, () => {});
    console.log('train', Date.now() - t);
    for (const b of [2, 32]) {
      t = Date.now();
      const pts = await fineTune(data, trained.model, b, () => {});
      console.log('ft', b, Date.now() - t, JSON.stringify(pts.map((p) => [p.mode, p.step, p.old, p.new])));
    }
    for (const b of [10, 50]) console.log('sorted', b, JSON.stringify(await sortedBatches(data, trained.model, b)));
    for (const k of ['brightness', 'noise', 'blur'] as const) console.log('tent', k, JSON.stringify(await tentStep(data, trained.model, k, 0.5)));
    trained.dispose();
    expect(1).toBe(1);
  }, 600_000);
});
