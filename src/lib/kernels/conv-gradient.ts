import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs's WASM backend has no Conv2DBackpropFilter kernel (tfjs#8474), so out of the box it
 * cannot train convolutions, and its Conv2DBackpropInput kernel is a plain loop, 5–8× slower
 * than a forward conv2d, which WASM runs through XNNPACK. This replaces the Conv2D gradient on
 * WASM with two forward convolutions (measured per op with `npm run bench`'s profile):
 *
 * - the filter gradient is one conv2d with the roles of batch and channels swapped: input
 *   channels become the batch, the batch becomes the channels, dy is the filter
 *   (`conv2dFilterGradient`);
 * - the input gradient is the "full" correlation of dy with the filter flipped in space and its
 *   in/out channels swapped (`conv2dInputGradient`).
 *
 * Other backends keep their native kernels. registerLabKernels (index.ts) registers it.
 */

interface Conv2DAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

type FilterShape = [number, number, number, number];

const pair = (v: number | [number, number]): [number, number] => (typeof v === 'number' ? [v, v] : v);

/** Padding before/after along one axis, as tfjs computes it for 'same', 'valid' or explicit. */
function padsFor(pad: Conv2DAttrs['pad'], inSize: number, k: number, stride: number): [number, number] {
  if (typeof pad === 'number') return [pad, pad];
  if (pad === 'valid') return [0, 0];
  const outSize = Math.ceil(inSize / stride);
  const total = Math.max((outSize - 1) * stride + k - inSize, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/**
 * dW[i, j, c, o] = Σ_{n,h,w} x_pad[n, h·s + i, w·s + j, c] · dy[n, h, w, o]: for each input
 * channel c this is a correlation over space of x_pad[·, ·, ·, c] with dy, summed over the batch.
 * So with x as [Cin, H, W, N] (channels as the batch, the batch as channels) and dy as the filter
 * [outH, outW, N, Cout] (dilated by the stride), one valid conv2d gives [Cin, kh, kw, Cout]; a
 * transpose makes it HWIO. The padding goes into conv2d's explicit padding (no pad op), and
 * where the strides leave rows or columns over, the result is cropped to the kernel.
 */
export function conv2dFilterGradient(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: FilterShape,
  strides: number | [number, number],
  pad: Conv2DAttrs['pad'],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw, inC, outC] = filterShape;
    const [sh, sw] = pair(strides);
    const [padTop, padBottom] = padsFor(pad, x.shape[1], kh, sh);
    const [padLeft, padRight] = padsFor(pad, x.shape[2], kw, sw);
    const xT = tf.transpose(x, [3, 1, 2, 0]) as tf.Tensor4D;
    const dyT = tf.transpose(dy, [1, 2, 0, 3]) as tf.Tensor4D;
    const explicit = [[0, 0], [padTop, padBottom], [padLeft, padRight], [0, 0]] as tf.backend_util.ExplicitPadding;
    let dW = tf.conv2d(xT, dyT, 1, explicit, 'NHWC', [sh, sw]);
    if (dW.shape[1] !== kh || dW.shape[2] !== kw) dW = tf.slice(dW, [0, 0, 0, 0], [inC, kh, kw, outC]);
    return tf.transpose(dW, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/**
 * dx[p] = Σ_i dy[p + padTop − i] · W[i] (per axis, stride 1): a correlation of dy, padded by
 * kh − 1 − padTop in front, with the filter reversed in space and its in/out channels swapped.
 * Stride 1 only (the lab's convolutions); other strides use the native kernel.
 */
export function conv2dInputGradient(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: [number, number, number, number],
  pad: Conv2DAttrs['pad'],
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filter.shape;
    const [, inH, inW] = xShape;
    const [, outH, outW] = dy.shape;
    const [padTop] = padsFor(pad, inH, kh, 1);
    const [padLeft] = padsFor(pad, inW, kw, 1);
    const front = [kh - 1 - padTop, kw - 1 - padLeft];
    // The back padding makes the valid output exactly the input's size.
    const back = [inH + kh - 1 - outH - front[0]!, inW + kw - 1 - outW - front[1]!];
    const flipped = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const explicit = [[0, 0], [front[0]!, back[0]!], [front[1]!, back[1]!], [0, 0]] as tf.backend_util.ExplicitPadding;
    return tf.conv2d(dy, flipped, 1, explicit);
  });
}

/** Per-channel sums of dy [N, H, W, C] as [C]; on WASM as dyᵀ·1, a GEMM (WASM's Sum adds one value at a time). */
function channelSums(dy: tf.Tensor4D): tf.Tensor1D {
  const c = dy.shape[3];
  if (tf.getBackend() !== 'wasm') return tf.sum(dy, [0, 1, 2]);
  const dy2 = tf.reshape(dy, [-1, c]) as tf.Tensor2D;
  return tf.reshape(tf.matMul(dy2, tf.ones([dy2.shape[0], 1]), true, false), [c]);
}

/**
 * conv2d(x, filter, stride 1, 'same') + bias as one differentiable op: the forward is tfjs's
 * FusedConv2D kernel, which adds the bias inside the convolution where a separate add would
 * broadcast [C] over [N, H, W, C] (a slow loop on WASM); the gradient is the one registered
 * below on WASM and the native kernels elsewhere, the bias's is dy summed per channel.
 * tfjs's own fused conv2d cannot be trained on WASM: its gradient calls Conv2DBackpropFilter.
 * `inputGradient: false` (the network's first layer, whose input is the data) skips dx.
 */
export function conv2dSameBias(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, inputGradient = true): tf.Tensor4D {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, w, b, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    save([xIn, w]);
    return {
      value: tf.fused.conv2d({ x: xIn, filter: w, bias: b, strides: 1, pad: 'same' }),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const dy4 = dy as tf.Tensor4D;
        const wasm = tf.getBackend() === 'wasm';
        const dx = !inputGradient
          ? tf.zerosLike(xs)
          : wasm
            ? conv2dInputGradient(dy4, ws, xs.shape, 'same')
            : tf.conv2dTranspose(dy4, ws, xs.shape, 1, 'same');
        const dw = wasm
          ? conv2dFilterGradient(xs, dy4, ws.shape, 1, 'same')
          : (tf.engine().runKernel('Conv2DBackpropFilter', { x: xs, dy: dy4 }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: ws.shape } as unknown as tf.NamedAttrMap) as tf.Tensor4D);
        return [dx, dw, channelSums(dy4)];
      },
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}

/** Conv2D's gradient as above: on WASM two forward convolutions, elsewhere the native kernels. */
export const CONV2D_GRADIENT: tf.GradConfig = {
  kernelName: tf.Conv2D,
  inputsToSave: ['x', 'filter'],
  gradFunc: (dy, saved, attrs) => {
    const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
    const a = attrs as unknown as Conv2DAttrs;
    const dy4 = dy as tf.Tensor4D;
    if (a.dataFormat !== 'NHWC' || pair(a.dilations).some((d) => d !== 1)) {
      throw new Error('conv2d gradient: only NHWC without dilation is supported');
    }
    const wasm = tf.getBackend() === 'wasm';
    const unitStride = pair(a.strides).every((s) => s === 1);
    return {
      x: () =>
        wasm && unitStride && a.dimRoundingMode === undefined
          ? conv2dInputGradient(dy4, filter, x.shape, a.pad)
          : tf.conv2dTranspose(dy4, filter, x.shape, a.strides, a.pad, a.dimRoundingMode),
      filter: () =>
        wasm
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
};
