import * as tf from '@tensorflow/tfjs-core';
// The stock gradients must be registered before ours replaces Conv2D's.
import '@tensorflow/tfjs-core/dist/register_all_gradients';

/**
 * tfjs's WASM backend has no Conv2DBackpropFilter kernel (tfjs#8474), so out of the box it
 * cannot train convolutions. This replaces the Conv2D gradient with one that, on WASM, builds
 * the filter gradient from ops WASM does have: pad x once, then for each kernel tap (i, j) the
 * filter slice is xᵀ·dy over the batch and all output positions,
 *   dW[i, j, :, :] = Σ_{n,h,w} x_pad[n, h·s + i, w·s + j, :]ᵀ · dy[n, h, w, :].
 * Other backends keep their native kernels. Registration is global and idempotent.
 */

interface Conv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Padding before/after along one axis, as tfjs computes it for 'same', 'valid' or explicit. */
function padsFor(pad: Conv2DAttrs['pad'], inSize: number, k: number, stride: number): [number, number] {
  if (typeof pad === 'number') return [pad, pad];
  if (pad === 'valid') return [0, 0];
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + k - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** The filter gradient from pad, strided slices, matMul and stack (works on every backend). */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Conv2DAttrs['pad'],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, inC, outC] = filterShape;
    const [sh, sw] = pair(strides);
    const [n, outH, outW] = dy.shape;
    const [padTop, padBottom] = padsFor(pad, x.shape[1], kh, sh);
    const [padLeft, padRight] = padsFor(pad, x.shape[2], kw, sw);
    const xp = tf.pad(x, [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]]);
    const dy2 = tf.reshape(dy, [n * outH * outW, outC]);
    const taps: tf.Tensor2D[] = [];
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        const window = tf.stridedSlice(
          xp,
          [0, i, j, 0],
          [n, i + (outH - 1) * sh + 1, j + (outW - 1) * sw + 1, inC],
          [1, sh, sw, 1],
        ) as tf.Tensor4D;
        taps.push(tf.matMul(tf.reshape(window, [n * outH * outW, inC]), dy2, true, false));
      }
    }
    return tf.reshape(tf.stack(taps), [kh, kw, inC, outC]) as tf.Tensor4D;
  });
}

let registered = false;

export function registerWasmConvGradient(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const a = attrs as unknown as Conv2DAttrs;
      const dy4 = dy as tf.Tensor4D;
      if (a.dataFormat !== 'NHWC' || pair(a.dilations).some((d) => d !== 1)) {
        throw new Error('conv2d gradient: only NHWC without dilation is supported');
      }
      return {
        x: () => tf.conv2dTranspose(dy4, filter, x.shape, a.strides, a.pad, a.dimRoundingMode),
        filter: () =>
          tf.getBackend() === 'wasm'
            ? conv2dFilterGradient(x, dy4, filter.shape, a.strides, a.pad)
            : (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dy4 }, {
                strides: a.strides,
                pad: a.pad,
                dataFormat: a.dataFormat,
                dimRoundingMode: a.dimRoundingMode,
                filterShape: filter.shape,
              } as unknown as tf.NamedAttrMap) as unknown as tf.Tensor4D),
      };
    },
  });
}
