import { describe, expect, it, beforeAll } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { conv2dFilterGradient, conv2dInputGradient, conv2dSameBias, registerLabKernels } from '../../../src/lib/kernels';

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

describe('conv2d gradients as forward convolutions', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  const cases = [
    [1, 'same', 7, 3],
    [1, 'valid', 6, 3],
    [2, 'same', 9, 3],
    [2, 'valid', 8, 3],
    // An even kernel pads 'same' unevenly (0 before, 1 after).
    [1, 'same', 6, 2],
    [2, 'same', 7, 2],
  ] as const;
  for (const [stride, pad, size, k] of cases) {
    it(`filter gradient matches the native kernel on cpu (stride ${stride}, ${pad}, ${k}×${k})`, () => {
      tf.tidy(() => {
        const x = tf.randomNormal([3, size, size, 2], 0, 1, 'float32', 7) as tf.Tensor4D;
        const filterShape: [number, number, number, number] = [k, k, 2, 4];
        const y = tf.conv2d(x, tf.zeros(filterShape) as tf.Tensor4D, stride, pad);
        const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 8) as tf.Tensor4D;
        const ours = conv2dFilterGradient(x, dy, filterShape, stride, pad);
        const native = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: stride, pad, dataFormat: 'NHWC', filterShape } as unknown as tf.NamedAttrMap) as tf.Tensor;
        expect(ours.shape).toEqual(filterShape);
        expect(maxAbsDiff(ours, native)).toBeLessThan(1e-4);
      });
    });
    if (stride !== 1) continue;
    it(`input gradient matches the native kernel on cpu (${pad}, ${k}×${k})`, () => {
      tf.tidy(() => {
        const xShape: [number, number, number, number] = [3, size, size, 2];
        const filter = tf.randomNormal([k, k, 2, 4], 0, 1, 'float32', 9) as tf.Tensor4D;
        const y = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, filter, 1, pad);
        const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 10) as tf.Tensor4D;
        const ours = conv2dInputGradient(dy, filter, xShape, pad);
        const native = tf.conv2dTranspose(dy, filter, xShape, 1, pad);
        expect(ours.shape).toEqual(xShape);
        expect(maxAbsDiff(ours, native)).toBeLessThan(1e-4);
      });
    });
  }

  // Each stride and padding the gradient handles, on WASM (stride 2 goes through a dilated
  // conv2d for the filter and the native kernel for the input) against the cpu backend's kernels.
  for (const [stride, pad] of [[1, 'same'], [1, 'valid'], [2, 'same'], [2, 'valid']] as const) {
    it(`lets the WASM backend train convolutions, matching the cpu backend (stride ${stride}, ${pad})`, async () => {
      registerLabKernels();
      const xData = tf.tidy(() => tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1).arraySync());
      const fData = tf.tidy(() => tf.randomNormal([3, 3, 3, 5], 0, 0.5, 'float32', 2).arraySync());
      const run = () =>
        tf.tidy(() => {
          const { dx, df } = lossGrads(tf.tensor4d(xData as number[][][][]), tf.tensor4d(fData as number[][][][]), stride, pad);
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
      // Float32 sums of up to 4·8·8 products in another order: 1e-5 of the largest entry.
      expect(diff(wasm.df as Float32Array, cpu.df as Float32Array)).toBeLessThan(1e-5 * Math.max(1, ...Array.from(cpu.df, Math.abs)));
      expect(diff(wasm.dx as Float32Array, cpu.dx as Float32Array)).toBeLessThan(1e-5 * Math.max(1, ...Array.from(cpu.dx, Math.abs)));
    });
  }

  // The lab's convolution layer as one op (FusedConv2D forward, gradients as above), against
  // autodiff through conv2d + add on the cpu backend.
  it('conv2dSameBias gives conv2d + bias and its gradients, on cpu and on WASM', async () => {
    registerLabKernels();
    const data = tf.tidy(() => ({
      x: tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 31).arraySync() as number[][][][],
      w: tf.randomNormal([3, 3, 3, 5], 0, 0.5, 'float32', 32).arraySync() as number[][][][],
      b: tf.randomNormal([5], 0, 1, 'float32', 33).arraySync() as number[],
    }));
    const run = (fused: boolean) =>
      tf.tidy(() => {
        const x = tf.tensor4d(data.x);
        const w = tf.tensor4d(data.w);
        const b = tf.tensor1d(data.b);
        const z = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) =>
          fused ? conv2dSameBias(xi as tf.Tensor4D, wi as tf.Tensor4D, bi as tf.Tensor1D) : tf.add(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 1, 'same'), bi);
        const f = (xi: tf.Tensor, wi: tf.Tensor, bi: tf.Tensor) => {
          const out = z(xi, wi, bi);
          return tf.sum(tf.mul(out, tf.reshape(tf.linspace(-1, 1, out.size), out.shape)));
        };
        const value = z(x, w, b).dataSync().slice() as Float32Array;
        const grads = tf.grads(f as (...a: tf.Tensor[]) => tf.Tensor)([x, w, b]).map((g) => g.dataSync().slice() as Float32Array);
        return { value, grads };
      });
    await tf.setBackend('cpu');
    const want = run(false);
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const before = tf.memory().numTensors;
      const got = run(true);
      expect(tf.memory().numTensors).toBe(before);
      expect(Math.max(...got.value.map((v, j) => Math.abs(v - want.value[j]!)))).toBeLessThan(1e-5 * Math.max(1, ...Array.from(want.value, Math.abs)));
      got.grads.forEach((g, i) => {
        const scale = Math.max(1, ...Array.from(want.grads[i]!, Math.abs));
        expect(Math.max(...g.map((v, j) => Math.abs(v - want.grads[i]![j]!))), `${backend} gradient ${i}`).toBeLessThan(1e-5 * scale);
      });
    }
    await tf.setBackend('cpu');
  });
});
