import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { registerLabKernels, WasmAdam } from '../../../src/lib/kernels';

/**
 * The one-kernel Adam against tf.train.adam on the same backend: the same variables (shapes of
 * the lab's conv, bias and dense weights), gradients of a loss that keeps them moving (large and
 * tiny components, signs changing), the bits of every value after each of 12 steps.
 */
describe('WasmAdam: tf.train.adam in one WASM kernel', () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('wasm');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  const shapes = [[3, 3, 1, 8], [8], [5, 10], [10]];
  const build = (tag: string) =>
    shapes.map((shape, i) => tf.variable(tf.randomNormal(shape, 0, i % 2 ? 1e-3 : 1, 'float32', 40 + i), true, `adam-test/${tag}/${i}`));
  // A loss whose gradients mix scales (x³ terms and a tiny linear one) so Adam's normalization shows.
  const loss = (vars: tf.Variable[]) => () =>
    tf.addN(vars.map((v, i) => tf.sum(tf.add(tf.mul(tf.pow(v, 3), 0.1 * (i + 1)), tf.mul(v, 1e-6 * (i + 1)))))) as tf.Scalar;

  it('gives the same values, bit for bit, over 12 steps', () => {
    const ours = build('ours');
    const theirs = build('theirs');
    const a = new WasmAdam(0.01);
    const b = tf.train.adam(0.01);
    try {
      for (let step = 1; step <= 12; step++) {
        a.minimize(loss(ours), true, ours)?.dispose();
        b.minimize(loss(theirs), true, theirs)?.dispose();
        ours.forEach((v, i) => expect(Array.from(v.dataSync()), `step ${step}, variable ${i}`).toEqual(Array.from(theirs[i]!.dataSync())));
      }
    } finally {
      a.dispose();
      b.dispose();
      tf.dispose([...ours, ...theirs]);
    }
  });

  it('leaks no tensors: a step leaves only the moments it keeps', () => {
    const vars = build('leak');
    const a = new WasmAdam(0.01);
    try {
      a.minimize(loss(vars), true, vars)?.dispose();
      const after1 = tf.memory().numTensors;
      a.minimize(loss(vars), true, vars)?.dispose();
      expect(tf.memory().numTensors).toBe(after1);
    } finally {
      a.dispose();
      tf.dispose(vars);
    }
  });
});
