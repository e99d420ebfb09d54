import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { measureTraining } from '../../../src/lib/train/lab/speed';
import { DEFAULT_CONFIG } from '../../../src/lib/train/config';

describe('the speed measurement (the backend race times each backend with it)', () => {
  it('times real training steps of the configured twin on synthetic data and frees what it made', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;
    const m = await measureTraining({ ...DEFAULT_CONFIG, preset: 'mlp', batchSize: 16 }, 200);
    expect(m.examplesPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(m.examplesPerSecond)).toBe(true);
    expect(m.firstStepMs).toBeGreaterThan(0);
    expect(tf.memory().numTensors).toBe(before);
  });
});
