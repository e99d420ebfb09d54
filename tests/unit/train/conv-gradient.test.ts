import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dFilterGradient, registerWasmConvGradient } from '../../../src/lib/train/conv-gradient';

const maxAbsDiff = (a: tf.Tensor, b: tf.Tensor): number => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

function lossGrads(x: tf.Tensor4D, f: tf.Tensor4D, stride: number, pad: 'same' | 'valid') {
  // A non-uniform upstream gradient, so every tap and channel is exercised.
  const grad = tf.grads((xi: tf.Tensor, fi: tf.Tensor) => {
    const y = tf.conv2d(xi as tf.Tensor4D, fi as tf.Tensor4D, stride, pad);
    return tf.sum(tf.mul(y, tf.reshape(tf.linspace(-1, 1, y.size), y.shape)));
  });
  const [dx, df] = grad([x, f]);
  return { dx: dx!, df: df! };
}

describe('conv2d filter gradient from pad/slice/matMul', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const [stride, pad, size] of [[1, 'same', 7], [1, 'valid', 6], [2, 'same', 9], [2, 'valid', 8]] as const) {
    it(`matches the native kernel on cpu (stride ${stride}, ${pad})`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([3, size, size, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
        const filterShape: [number, number, number, number] = [3, 3, 2, 4];
        const y = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, stride, pad);
        const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 8) as tf.Tensor4D;
        const ours = conv2dFilterGradient(x, dy, filterShape, stride, pad);
        const native = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        expect(maxAbsDiff(ours, native)).toBeLessThan(1e-4);
      });
    });
  }

  it('lets the WASM backend train convolutions, matching the cpu backend within 1e-5', async () => {
    registerWasmConvGradient();
    const xData = tf.tidy(() => tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1).arraySync());
    const fData = tf.tidy(() => tf.randomNormal([3, 3, 3, 5], 0, 0.5, 'float32', 2).arraySync());
    const run = () =>
      tf.tidy(() => {
        const { dx, df } = lossGrads(tf.tensor4d(xData as number[][][][]), tf.tensor4d(fData as number[][][][]), 1, 'same');
        return { dx: dx.dataSync().slice(), df: df.dataSync().slice() };
      });
    await tf.setBackend('cpu');
    const cpu = run();
    await tf.setBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const before = tf.memory().numTensors;
    const wasm = run();
    expect(tf.memory().numTensors).toBe(before);
    await tf.setBackend('cpu');
    const diff = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i]!)));
    expect(diff(wasm.df as Float32Array, cpu.df as Float32Array)).toBeLessThan(1e-5 * Math.max(1, ...Array.from(cpu.df, Math.abs)));
    expect(diff(wasm.dx as Float32Array, cpu.dx as Float32Array)).toBeLessThan(1e-4);
  });
});
