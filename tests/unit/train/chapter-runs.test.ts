import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { equilibriumStep, trainWithDecay, DECAY_RUN } from '../../../src/lib/train/chapter/decay';
import { loadMnistFromPackage } from '../helpers/mnist-node';

const data = loadMnistFromPackage();

describe('weight decay under BN (the chapter\'s section 2 run)', () => {
  beforeAll(async () => {
    await tf.setBackend('wasm');
  });

  it('shrinks the hidden weights and lengthens their relative step; without it the norm grows', async () => {
    const steps = 100;
    const before = tf.memory().numTensors;
    const run = async (decay: number) => (await trainWithDecay(data, decay, () => undefined, steps)).filter((p) => p.layer === 1);
    const plain = await run(0);
    const decayed = await run(0.03);
    expect(tf.memory().numTensors).toBe(before);
    const first = (pts: typeof plain) => pts[0]!;
    const last = (pts: typeof plain) => pts.at(-1)!;
    // Gradients orthogonal to w can only lengthen it: ‖w‖² grows by η²‖g‖² each step.
    expect(last(plain).norm).toBeGreaterThan(first(plain).norm);
    expect(last(decayed).norm).toBeLessThan(0.6 * first(decayed).norm);
    expect(last(decayed).effectiveStep).toBeGreaterThan(1.5 * last(plain).effectiveStep);
    // Still on its way to the equilibrium √(2ηλ) from below.
    expect(last(decayed).effectiveStep).toBeLessThan(equilibriumStep(DECAY_RUN.learningRate, 0.03));
  }, 60_000);
});
