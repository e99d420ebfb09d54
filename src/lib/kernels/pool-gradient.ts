import * as tf from '@tensorflow/tfjs-core';

/**
 * The MaxPool gradient for the lab's 2×2, stride-2, 'valid' pooling on WASM. tfjs 4.22's WASM
 * MaxPoolGrad kernel is slow (3.9 ms of a 27 ms training step at [32, 28, 28, 8]) and wrong in
 * two ways this replaces (tests/unit/kernels/pool-gradient.test.ts shows both against the cpu
 * kernel): in channels after the first, a window whose maximum is ≤ 0 passes no gradient at all,
 * and a tie goes to the last maximum where cpu's goes to the first. With BN after the ReLU, BN's
 * output is negative in many whole windows, so the lab's WASM runs lost those gradients.
 *
 * (tfjs-backend-wasm's MaxPoolGrad.cc starts each window's maximum at
 * std::numeric_limits<float>::min(), the smallest positive float, not the lowest, and keeps the
 * last position with x ≥ max.)
 */

interface PoolAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const is2 = (v: number | [number, number]): boolean => (typeof v === 'number' ? v === 2 : v[0] === 2 && v[1] === 2);

/** One-hot [2, 2, C, 1] depthwise filters: with stride 2, filter k reads window position k. */
function positionFilter(k: number, c: number): tf.Tensor4D {
  // Built in JavaScript: WASM's oneHot writes int32 bits into a float32 tensor (tfjs 4.22).
  const values = new Float32Array(4 * c);
  values.fill(1, k * c, (k + 1) * c);
  return tf.tensor4d(values, [2, 2, c, 1]);
}

/**
 * dx of y = maxPool(x, 2, 2, 'valid'), the gradient of each window going to its first maximum in
 * row-major order (the cpu kernel's rule). Every step is a kernel WASM runs fast (measured in the
 * bench's profile: its Slice, Equal, Cast and rank-5+ transposes copy or loop in JavaScript):
 * depthwise convolutions with one-hot filters read the window positions q0..q3 (a stride-2
 * 'valid' conv skips an odd last row or column, as the pooling does); with pk = step(y − qk)
 * (0 exactly where qk is the maximum: float subtraction gives 0 only for equal values), r1 = dy·p0, r2 = r1·p1, g3 = r2·p2 and g0 = dy − r1,
 * g1 = r1 − r2, g2 = r2 − g3 send dy to the first maximum, every product exact (each pk is 0 or
 * 1); a concat and two rank-4 transposes put g0..g3 back in place.
 */
export function maxPool2x2Gradient(x: tf.Tensor4D, y: tf.Tensor4D, dy: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const [, outH, outW] = y.shape;
    const p = [0, 1, 2].map((k) => tf.step(tf.sub(y, tf.depthwiseConv2d(x, positionFilter(k, c), 2, 'valid'))));
    const r1 = tf.mul(dy, p[0]!);
    const r2 = tf.mul(r1, p[1]!);
    const g3 = tf.mul(r2, p[2]!);
    const g = [tf.sub(dy, r1), tf.sub(r1, r2), tf.sub(r2, g3), g3];
    // [r, s, N·outH·outW, C] → [r, N·outH·outW, s, C] = [r, N·outH, outW, 2C] → [N·outH, r, outW, 2C].
    const rs = tf.reshape(tf.concat(g.map((t) => tf.reshape(t, [1, -1])), 0), [2, 2, n * outH * outW, c]);
    const rows = tf.reshape(tf.transpose(rs, [0, 2, 1, 3]), [2, n * outH, outW, 2 * c]);
    const dx = tf.reshape(tf.transpose(rows, [1, 0, 2, 3]), [n, 2 * outH, 2 * outW, c]);
    // An odd last row or column is in no window: zero gradient.
    return (h === 2 * outH && w === 2 * outW ? dx : tf.pad(dx, [[0, 0], [0, h - 2 * outH], [0, w - 2 * outW], [0, 0]])) as tf.Tensor4D;
  });
}

/** MaxPool's gradient on WASM for 2×2, stride 2, 'valid' as above; everything else keeps tfjs's kernel. */
export const MAX_POOL_GRADIENT: tf.GradConfig = {
  kernelName: tf.MaxPool,
  inputsToSave: ['x'],
  outputsToSave: [true],
  gradFunc: (dy, saved, attrs) => {
    const [x, y] = saved as [tf.Tensor4D, tf.Tensor4D];
    const dy4 = dy as tf.Tensor4D;
    const a = attrs as unknown as PoolAttrs;
    const ours = tf.getBackend() === 'wasm' && is2(a.filterSize) && is2(a.strides) && a.pad === 'valid';
    return {
      x: () =>
        ours
          ? maxPool2x2Gradient(x, y, dy4)
          : (tf.engine().runKernel('MaxPoolGrad', { dy: dy4, input: x, output: y }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor),
    };
  },
};
