import * as tf from '@tensorflow/tfjs-core';
import { simdLoops, type SimdLoops } from './fused-simd';

/**
 * Training-mode BN's forward and backward as one kernel each on the WASM backend (and the running
 * averages' update as one more), working on the WASM heap where tensors lie, as
 * tfjs-backend-wasm's own Concat, Cast and Identity kernels do. At the lab's size a training step
 * is bound by the number of kernels, not by arithmetic: fused.ts's tfjs ops take 15–20 kernels
 * each way per layer, this is one, reading x three times. The passes over the data run as
 * 128-bit SIMD (fused-simd.ts) where channels come in fours, else as the JavaScript loops below.
 *
 * The numbers are those of fused.ts's ops on the cpu backend, bit for bit: each tfjs op there
 * rounds its result to float32 (`f` below), and cpu's Sum adds in float64 and rounds once. So
 * the lab's fixed-seed loss sequences on WASM follow the cpu reference as the ops would
 * (tests/unit/train/loss-sequence.test.ts).
 *
 * Layout: channels last, x as [m, C] rows. The JavaScript loops take channels in blocks of 8
 * whose accumulators are locals (8 independent add chains per row, one sweep over the rows); a
 * remainder goes one channel at a time.
 */
export const BN_FORWARD_KERNEL = 'LabBatchNormTrainForward';
export const BN_BACKWARD_KERNEL = 'LabBatchNormTrainBackward';
export const RUNNING_STATS_KERNEL = 'LabRunningStatsUpdate';

/** The part of tfjs-backend-wasm's BackendWasm these kernels use. */
interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  /** The Emscripten module: its memory is `asm.memory`, or `wasmMemory` in the threaded build. */
  wasm: { _malloc(bytes: number): number; HEAPU8: Uint8Array; asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory };
}

/** 256 bytes on the WASM heap per backend: a block's parameters and sums for the SIMD loops. */
const scratchOf = new WeakMap<object, number>();

interface Simd {
  loops: SimdLoops;
  /** Byte offsets: 16 float32 of parameters, then 8 float64 of sums. */
  params: number;
  sums: number;
  offset(t: tf.TensorInfo): number;
}

/**
 * The SIMD loops (fused-simd.ts) where channels come in fours and the module runs here, else null.
 * Call before taking heap views: the first call allocates, which may grow the heap.
 */
function simdFor(b: WasmBackend, c: number): Simd | null {
  if (c % 4 !== 0) return null;
  const loops = simdLoops(b.wasm.asm?.memory ?? b.wasm.wasmMemory);
  if (!loops) return null;
  let scratch = scratchOf.get(b);
  if (scratch === undefined) {
    scratch = b.wasm._malloc(256);
    scratchOf.set(b, scratch);
  }
  return { loops, params: scratch, sums: scratch + 64, offset: (t) => b.dataIdMap.get(t.dataId)!.memoryOffset };
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const f = Math.fround;

/** Σx per channel, in float64. */
function channelSums(x: Float32Array, c: number, out: Float64Array): void {
  const n = x.length;
  let k = 0;
  for (; k + 8 <= c; k += 8) {
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let i = k; i < n; i += c) {
      s0 += x[i]!; s1 += x[i + 1]!; s2 += x[i + 2]!; s3 += x[i + 3]!;
      s4 += x[i + 4]!; s5 += x[i + 5]!; s6 += x[i + 6]!; s7 += x[i + 7]!;
    }
    out.set([s0, s1, s2, s3, s4, s5, s6, s7], k);
  }
  for (; k < c; k++) {
    let s = 0;
    for (let i = k; i < n; i += c) s += x[i]!;
    out[k] = s;
  }
}

/** Σ f(f(x − μ)²) per channel (the centred values and their squares as float32 ops round them). */
function centredSquares(x: Float32Array, mean: Float32Array, c: number, out: Float64Array): void {
  const n = x.length;
  let k = 0;
  for (; k + 8 <= c; k += 8) {
    const u0 = mean[k]!, u1 = mean[k + 1]!, u2 = mean[k + 2]!, u3 = mean[k + 3]!, u4 = mean[k + 4]!, u5 = mean[k + 5]!, u6 = mean[k + 6]!, u7 = mean[k + 7]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    for (let i = k; i < n; i += c) {
      const a0 = f(x[i]! - u0), a1 = f(x[i + 1]! - u1), a2 = f(x[i + 2]! - u2), a3 = f(x[i + 3]! - u3);
      const a4 = f(x[i + 4]! - u4), a5 = f(x[i + 5]! - u5), a6 = f(x[i + 6]! - u6), a7 = f(x[i + 7]! - u7);
      s0 += f(a0 * a0); s1 += f(a1 * a1); s2 += f(a2 * a2); s3 += f(a3 * a3);
      s4 += f(a4 * a4); s5 += f(a5 * a5); s6 += f(a6 * a6); s7 += f(a7 * a7);
    }
    out.set([s0, s1, s2, s3, s4, s5, s6, s7], k);
  }
  for (; k < c; k++) {
    const u = mean[k]!;
    let s = 0;
    for (let i = k; i < n; i += c) {
      const a = f(x[i]! - u);
      s += f(a * a);
    }
    out[k] = s;
  }
}

/** y = f(f(f(x − μ)·scale) + β) per channel. */
function normalizeInto(y: Float32Array, x: Float32Array, mean: Float32Array, scale: Float32Array, beta: Float32Array, c: number): void {
  const n = x.length;
  let k = 0;
  for (; k + 8 <= c; k += 8) {
    const u0 = mean[k]!, u1 = mean[k + 1]!, u2 = mean[k + 2]!, u3 = mean[k + 3]!, u4 = mean[k + 4]!, u5 = mean[k + 5]!, u6 = mean[k + 6]!, u7 = mean[k + 7]!;
    const s0 = scale[k]!, s1 = scale[k + 1]!, s2 = scale[k + 2]!, s3 = scale[k + 3]!, s4 = scale[k + 4]!, s5 = scale[k + 5]!, s6 = scale[k + 6]!, s7 = scale[k + 7]!;
    const b0 = beta[k]!, b1 = beta[k + 1]!, b2 = beta[k + 2]!, b3 = beta[k + 3]!, b4 = beta[k + 4]!, b5 = beta[k + 5]!, b6 = beta[k + 6]!, b7 = beta[k + 7]!;
    for (let i = k; i < n; i += c) {
      y[i] = f(f(x[i]! - u0) * s0) + b0; y[i + 1] = f(f(x[i + 1]! - u1) * s1) + b1;
      y[i + 2] = f(f(x[i + 2]! - u2) * s2) + b2; y[i + 3] = f(f(x[i + 3]! - u3) * s3) + b3;
      y[i + 4] = f(f(x[i + 4]! - u4) * s4) + b4; y[i + 5] = f(f(x[i + 5]! - u5) * s5) + b5;
      y[i + 6] = f(f(x[i + 6]! - u6) * s6) + b6; y[i + 7] = f(f(x[i + 7]! - u7) * s7) + b7;
    }
  }
  for (; k < c; k++) {
    const u = mean[k]!, s = scale[k]!, b = beta[k]!;
    for (let i = k; i < n; i += c) y[i] = f(f(x[i]! - u) * s) + b;
  }
}

/** Σdy and Σ f(dy·f(x − μ)) per channel, in float64. */
function gradientSums(dy: Float32Array, x: Float32Array, mean: Float32Array, c: number, sumDy: Float64Array, sumDyC: Float64Array): void {
  const n = x.length;
  let k = 0;
  for (; k + 8 <= c; k += 8) {
    const u0 = mean[k]!, u1 = mean[k + 1]!, u2 = mean[k + 2]!, u3 = mean[k + 3]!, u4 = mean[k + 4]!, u5 = mean[k + 5]!, u6 = mean[k + 6]!, u7 = mean[k + 7]!;
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
    let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0;
    for (let i = k; i < n; i += c) {
      const g0 = dy[i]!, g1 = dy[i + 1]!, g2 = dy[i + 2]!, g3 = dy[i + 3]!, g4 = dy[i + 4]!, g5 = dy[i + 5]!, g6 = dy[i + 6]!, g7 = dy[i + 7]!;
      s0 += g0; s1 += g1; s2 += g2; s3 += g3; s4 += g4; s5 += g5; s6 += g6; s7 += g7;
      q0 += f(g0 * f(x[i]! - u0)); q1 += f(g1 * f(x[i + 1]! - u1)); q2 += f(g2 * f(x[i + 2]! - u2)); q3 += f(g3 * f(x[i + 3]! - u3));
      q4 += f(g4 * f(x[i + 4]! - u4)); q5 += f(g5 * f(x[i + 5]! - u5)); q6 += f(g6 * f(x[i + 6]! - u6)); q7 += f(g7 * f(x[i + 7]! - u7));
    }
    sumDy.set([s0, s1, s2, s3, s4, s5, s6, s7], k);
    sumDyC.set([q0, q1, q2, q3, q4, q5, q6, q7], k);
  }
  for (; k < c; k++) {
    const u = mean[k]!;
    let s = 0, q = 0;
    for (let i = k; i < n; i += c) {
      s += dy[i]!;
      q += f(dy[i]! * f(x[i]! - u));
    }
    sumDy[k] = s;
    sumDyC[k] = q;
  }
}

/** dx = f(f(f(dy·a) − f(f(x − μ)·k)) − b) per channel. */
function inputGradientInto(dx: Float32Array, dy: Float32Array, x: Float32Array, mean: Float32Array, a: Float32Array, k: Float32Array, b: Float32Array, c: number): void {
  const n = x.length;
  let j = 0;
  for (; j + 8 <= c; j += 8) {
    const u0 = mean[j]!, u1 = mean[j + 1]!, u2 = mean[j + 2]!, u3 = mean[j + 3]!, u4 = mean[j + 4]!, u5 = mean[j + 5]!, u6 = mean[j + 6]!, u7 = mean[j + 7]!;
    const a0 = a[j]!, a1 = a[j + 1]!, a2 = a[j + 2]!, a3 = a[j + 3]!, a4 = a[j + 4]!, a5 = a[j + 5]!, a6 = a[j + 6]!, a7 = a[j + 7]!;
    const k0 = k[j]!, k1 = k[j + 1]!, k2 = k[j + 2]!, k3 = k[j + 3]!, k4 = k[j + 4]!, k5 = k[j + 5]!, k6 = k[j + 6]!, k7 = k[j + 7]!;
    const b0 = b[j]!, b1 = b[j + 1]!, b2 = b[j + 2]!, b3 = b[j + 3]!, b4 = b[j + 4]!, b5 = b[j + 5]!, b6 = b[j + 6]!, b7 = b[j + 7]!;
    for (let i = j; i < n; i += c) {
      dx[i] = f(f(dy[i]! * a0) - f(f(x[i]! - u0) * k0)) - b0;
      dx[i + 1] = f(f(dy[i + 1]! * a1) - f(f(x[i + 1]! - u1) * k1)) - b1;
      dx[i + 2] = f(f(dy[i + 2]! * a2) - f(f(x[i + 2]! - u2) * k2)) - b2;
      dx[i + 3] = f(f(dy[i + 3]! * a3) - f(f(x[i + 3]! - u3) * k3)) - b3;
      dx[i + 4] = f(f(dy[i + 4]! * a4) - f(f(x[i + 4]! - u4) * k4)) - b4;
      dx[i + 5] = f(f(dy[i + 5]! * a5) - f(f(x[i + 5]! - u5) * k5)) - b5;
      dx[i + 6] = f(f(dy[i + 6]! * a6) - f(f(x[i + 6]! - u6) * k6)) - b6;
      dx[i + 7] = f(f(dy[i + 7]! * a7) - f(f(x[i + 7]! - u7) * k7)) - b7;
    }
  }
  for (; j < c; j++) {
    const u = mean[j]!, aj = a[j]!, kj = k[j]!, bj = b[j]!;
    for (let i = j; i < n; i += c) dx[i] = f(f(dy[i]! * aj) - f(f(x[i]! - u) * kj)) - bj;
  }
}

/** 1/√(variance + ε) as tf.rsqrt(tf.add(variance, eps)) rounds it. */
const invStdOf = (variance: number, eps: number): number => f(1 / Math.sqrt(f(variance + f(eps))));

const heap = (backend: unknown) => backend as WasmBackend;

/**
 * Inputs x, gamma, beta; attr eps. Outputs y, the batch mean, the biased batch variance and the
 * unbiased one (as tf.mul(biased, m / (m − 1)) rounds it).
 */
function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const b = heap(backend);
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const eps = attrs!.eps as number;
  const c = x.shape.at(-1)!;
  const yOut = b.makeOutput(x.shape, 'float32');
  const meanOut = b.makeOutput([c], 'float32');
  const varOut = b.makeOutput([c], 'float32');
  const unbiasedOut = b.makeOutput([c], 'float32');
  const simd = simdFor(b, c);
  // Views only after every allocation: growing the heap detaches earlier ones.
  const [xv, g, be, mean, variance, y, unbiased] = [x, gamma, beta, meanOut, varOut, yOut, unbiasedOut].map((t) => b.typedArrayFromHeap(t)) as Float32Array[];
  const m = xv!.length / c;
  const bessel = f(m / (m - 1));
  const outputs = (): tf.TensorInfo[] => {
    for (let k = 0; k < c; k++) unbiased![k] = variance![k]! * bessel;
    return [yOut, meanOut, varOut, unbiasedOut];
  };
  const sums = new Float64Array(c);
  const scale = new Float32Array(c);
  if (simd) {
    const { loops, params, offset } = simd;
    const heapF32 = new Float32Array(b.wasm.HEAPU8.buffer);
    const heapF64 = new Float64Array(b.wasm.HEAPU8.buffer);
    const [xo, yo, mo] = [offset(x), offset(yOut), offset(meanOut)];
    const stride = 4 * c;
    for (let k = 0; k < c; k += 4) {
      loops.sums(xo + 4 * k, m, stride, simd.sums);
      for (let j = 0; j < 4; j++) mean![k + j] = f(heapF64[simd.sums / 8 + j]!) / m;
      loops.squares(xo + 4 * k, m, stride, mo + 4 * k, simd.sums);
      for (let j = 0; j < 4; j++) {
        variance![k + j] = f(heapF64[simd.sums / 8 + j]!) / m;
        scale[k + j] = g![k + j]! * invStdOf(variance![k + j]!, eps);
        heapF32[params / 4 + j] = mean![k + j]!;
        heapF32[params / 4 + 4 + j] = scale[k + j]!;
        heapF32[params / 4 + 8 + j] = be![k + j]!;
      }
      loops.normalize(yo + 4 * k, xo + 4 * k, m, stride, params);
    }
    return outputs();
  }
  channelSums(xv!, c, sums);
  for (let k = 0; k < c; k++) mean![k] = f(sums[k]!) / m;
  centredSquares(xv!, mean!, c, sums);
  for (let k = 0; k < c; k++) {
    variance![k] = f(sums[k]!) / m;
    scale[k] = g![k]! * invStdOf(variance![k]!, eps);
  }
  normalizeInto(y!, xv!, mean!, scale, be!, c);
  return outputs();
}

/**
 * Inputs dy, x, gamma, mean, variance (the forward's); attr eps. Outputs dx, dγ, dβ:
 * dx = a·dy − k·(x − μ) − b with a = γ·invStd, k = a·invStd²·Σdy(x − μ)/m, b = a·Σdy/m.
 */
function backwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const b = heap(backend);
  const { dy, x, gamma, mean, variance } = inputs as Record<'dy' | 'x' | 'gamma' | 'mean' | 'variance', tf.TensorInfo>;
  const eps = attrs!.eps as number;
  const c = x.shape.at(-1)!;
  const dxOut = b.makeOutput(x.shape, 'float32');
  const dgOut = b.makeOutput([c], 'float32');
  const dbOut = b.makeOutput([c], 'float32');
  const simd = simdFor(b, c);
  const [dyv, xv, g, mu, v, dg, db, dx] = [dy, x, gamma, mean, variance, dgOut, dbOut, dxOut].map((t) => b.typedArrayFromHeap(t)) as Float32Array[];
  const m = xv!.length / c;
  const a = new Float32Array(c), k = new Float32Array(c), shift = new Float32Array(c);
  /** The per-channel coefficients from the channel's two sums. */
  const coefficients = (j: number, sumDy: number, sumDyC: number): void => {
    const inv = invStdOf(v![j]!, eps);
    const sDy = f(sumDy), sDyC = f(sumDyC);
    a[j] = g![j]! * inv;
    k[j] = a[j]! * f(f(inv * inv) * f(sDyC / m));
    shift[j] = a[j]! * f(sDy / m);
    dg![j] = sDyC * inv;
    db![j] = sDy;
  };
  if (simd) {
    const { loops, params, offset } = simd;
    const heapF32 = new Float32Array(b.wasm.HEAPU8.buffer);
    const heapF64 = new Float64Array(b.wasm.HEAPU8.buffer);
    const [dyo, xo, mo, dxo] = [offset(dy), offset(x), offset(mean), offset(dxOut)];
    const stride = 4 * c;
    const s = simd.sums / 8;
    for (let j = 0; j < c; j += 4) {
      loops.gradientSums(dyo + 4 * j, xo + 4 * j, m, stride, mo + 4 * j, simd.sums);
      for (let i = 0; i < 4; i++) {
        coefficients(j + i, heapF64[s + i]!, heapF64[s + 4 + i]!);
        heapF32[params / 4 + i] = mu![j + i]!;
        heapF32[params / 4 + 4 + i] = a[j + i]!;
        heapF32[params / 4 + 8 + i] = k[j + i]!;
        heapF32[params / 4 + 12 + i] = shift[j + i]!;
      }
      loops.inputGradient(dxo + 4 * j, dyo + 4 * j, xo + 4 * j, m, stride, params);
    }
    return [dxOut, dgOut, dbOut];
  }
  const sumDy = new Float64Array(c), sumDyC = new Float64Array(c);
  gradientSums(dyv!, xv!, mu!, c, sumDy, sumDyC);
  for (let j = 0; j < c; j++) coefficients(j, sumDy[j]!, sumDyC[j]!);
  inputGradientInto(dx!, dyv!, xv!, mu!, a, k, shift, c);
  return [dxOut, dgOut, dbOut];
}

/**
 * Inputs runningMean, runningVariance, batchMean, batchVariance; attr weight (the batch's w).
 * Outputs (1 − w)·running + w·batch for the mean and the variance, rounded as running.ts's tfjs
 * ops round them: one kernel instead of six.
 */
function runningStatsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const b = heap(backend);
  const { runningMean, runningVariance, batchMean, batchVariance } = inputs as Record<'runningMean' | 'runningVariance' | 'batchMean' | 'batchVariance', tf.TensorInfo>;
  const w = attrs!.weight as number;
  const keep = f(1 - w), take = f(w);
  const meanOut = b.makeOutput(runningMean.shape, 'float32');
  const varOut = b.makeOutput(runningVariance.shape, 'float32');
  const [rm, rv, bm, bv, mean, variance] = [runningMean, runningVariance, batchMean, batchVariance, meanOut, varOut].map((t) => b.typedArrayFromHeap(t)) as Float32Array[];
  for (let k = 0; k < rm!.length; k++) {
    mean![k] = f(rm![k]! * keep) + f(bm![k]! * take);
    variance![k] = f(rv![k]! * keep) + f(bv![k]! * take);
  }
  return [meanOut, varOut];
}

let registered = false;

/** Registers the kernels for the WASM backend (idempotent). */
export function registerWasmBatchNormKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: BN_FORWARD_KERNEL, backendName: 'wasm', kernelFunc: forwardKernel as tf.KernelFunc });
  tf.registerKernel({ kernelName: BN_BACKWARD_KERNEL, backendName: 'wasm', kernelFunc: backwardKernel as tf.KernelFunc });
  tf.registerKernel({ kernelName: RUNNING_STATS_KERNEL, backendName: 'wasm', kernelFunc: runningStatsKernel as tf.KernelFunc });
}
