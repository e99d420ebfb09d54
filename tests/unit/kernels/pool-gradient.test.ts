import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { maxPool2x2Gradient, registerLabKernels } from '../../../src/lib/kernels';

/** −0 (a negative dy times a 0 mask) and +0 are the same gradient; toEqual would tell them apart. */
const plain = (a: ArrayLike<number>): number[] => Array.from(a, (v) => v + 0);

const ATTRS = { filterSize: 2, strides: 2, pad: 'valid' } as unknown as tf.NamedAttrMap;

/**
 * Inputs with every hard case: ties (values rounded to a few levels, as ReLU's zeros and the
 * constant background of MNIST give), windows that are all negative (BN after the ReLU), and a
 * few channels, since WASM's kernel treats channel 0 differently from the others.
 */
function input(shape: [number, number, number, number], seed: number): { values: Float32Array; shape: typeof shape } {
  const values = tf.tidy(() => tf.round(tf.mul(tf.randomNormal(shape, -0.3, 1, 'float32', seed), 2)).dataSync() as Float32Array);
  return { values, shape };
}

/** The cpu backend's MaxPoolGrad for the same numbers: the reference. */
async function cpuGradient(x: ReturnType<typeof input>, dySeed: number): Promise<{ dx: Float32Array; dy: Float32Array }> {
  await tf.setBackend('cpu');
  return tf.tidy(() => {
    const xt = tf.tensor4d(x.values, x.shape);
    const y = tf.maxPool(xt, 2, 2, 'valid');
    const dy = tf.randomNormal(y.shape, 0, 1, 'float32', dySeed);
    const dx = tf.engine().runKernel('MaxPoolGrad', { dy, input: xt, output: y }, ATTRS) as tf.Tensor;
    return { dx: dx.dataSync() as Float32Array, dy: dy.dataSync() as Float32Array };
  });
}

const SHAPES: Array<[number, number, number, number]> = [[3, 8, 8, 4], [2, 7, 7, 3], [2, 6, 5, 2]];

describe('2×2 max-pool gradient from slices and masks', () => {
  beforeAll(async () => {
    registerLabKernels();
    await tf.setBackend('cpu');
  });
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const shape of SHAPES) {
    it(`equals the cpu kernel exactly, ties and odd sizes included ([${shape.join(', ')}])`, async () => {
      const x = input(shape, 3);
      const want = await cpuGradient(x, 4);
      const got = tf.tidy(() => {
        const xt = tf.tensor4d(x.values, x.shape);
        const y = tf.maxPool(xt, 2, 2, 'valid');
        return maxPool2x2Gradient(xt, y, tf.tensor4d(want.dy, y.shape)).dataSync();
      });
      expect(plain(got)).toEqual(plain(want.dx));
    });
  }

  it('is what WASM trains with: tf.grad of maxPool equals the cpu kernel, with no tensor left', async () => {
    const x = input([4, 8, 8, 3], 5);
    const want = await cpuGradient(x, 6);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const got = tf.tidy(() => {
      const xt = tf.tensor4d(x.values, x.shape);
      const dy = tf.tensor(want.dy, [4, 4, 4, 3]);
      return tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xi as tf.Tensor4D, 2, 2, 'valid'), dy)))(xt).dataSync();
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(plain(got)).toEqual(plain(want.dx));
  });

  // Why the gradient is replaced: if a tfjs upgrade fixes the kernel, this fails and says so.
  it('replaces a WASM kernel that drops the gradient of all-negative windows after channel 0', async () => {
    const x = { values: Float32Array.from([0.5, -3, 1, -2, 1.5, -1, 0, -4]), shape: [1, 2, 2, 2] as [number, number, number, number] };
    const want = await cpuGradient(x, 7);
    expect(want.dx.filter((v, i) => i % 2 === 1 && v !== 0)).toHaveLength(1);
    await tf.setBackend('wasm');
    const stock = tf.tidy(() => {
      const xt = tf.tensor4d(x.values, x.shape);
      const y = tf.maxPool(xt, 2, 2, 'valid');
      return tf.engine().runKernel('MaxPoolGrad', { dy: tf.tensor4d(want.dy, y.shape), input: xt, output: y }, ATTRS) as tf.Tensor;
    });
    const channel1 = Array.from(stock.dataSync()).filter((_, i) => i % 2 === 1);
    stock.dispose();
    expect(channel1, 'tfjs-backend-wasm MaxPoolGrad now passes this gradient: the override may be unnecessary').toEqual([0, 0, 0, 0]);
  });
});
