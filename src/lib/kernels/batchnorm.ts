import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrainFused, runningUpdateInputs, updateRunningStats, type BatchStats, type FusedBatchNormResult, type FusedParams, type FusedPasses, type RunningStats, type UpdateOptions } from '../bn';
import { jsLoops, simdLoops, type BnLoops, type LoopPath } from './bn-loops';
import { wasmHeap, type WasmHeap } from './wasm-heap';

/**
 * Training-mode BN's forward and backward as one kernel each on the WASM backend, and the running
 * averages' update as one more. At the lab's size a training step is bound by the number of
 * kernels, not by arithmetic: src/lib/bn/fused.ts's tfjs ops take 15–20 kernels each way per
 * layer, this is one, reading x three times. The passes over the data are bn-loops.wat's SIMD
 * functions where channels come in fours, else plain JavaScript loops (bn-loops.ts).
 *
 * The numbers are those of fused.ts's ops on the cpu backend, bit for bit: each tfjs op there
 * rounds its result to float32 (`f` below), and cpu's Sum adds in float64 and rounds once. So the
 * lab's fixed-seed loss sequences on WASM follow the cpu reference as the ops would
 * (tests/unit/train/loss-sequence.test.ts).
 */
export const BN_FORWARD_KERNEL = 'LabBatchNormTrainForward';
export const BN_BACKWARD_KERNEL = 'LabBatchNormTrainBackward';
export const RUNNING_STATS_KERNEL = 'LabRunningStatsUpdate';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap };

const f = Math.fround;

/** Which loops each BN kernel ran last: 'simd' when every channel ran bn-loops.wat. */
const lastPaths = new Map<string, LoopPath>();

/** The loops the last call of `kernel` (BN_FORWARD_KERNEL or BN_BACKWARD_KERNEL) ran; for the tests. */
export function lastLoopPath(kernel: string): LoopPath | undefined {
  return lastPaths.get(kernel);
}

/** Scratch bytes per heap: a group's parameters (32 float32) at +0, its sums (16 float64) at +128. */
const scratchOf = new WeakMap<WebAssembly.Memory, number>();

/** The channels [k, k + lanes) that one call of a pass takes, and its loops. */
interface Group {
  k: number;
  lanes: number;
  loops: BnLoops;
}

interface Groups {
  list: Group[];
  params: number;
  sums: number;
  /** Records the path once every group has run. */
  done(kernel: string): void;
}

/**
 * Channels in groups of 8, then 4, for the SIMD loops, and the rest (or all, without SIMD) in
 * groups of at most 4 for the JavaScript ones. Call before taking views: the first call allocates
 * the scratch space, which may grow the heap.
 */
function groupsOn(heap: WasmHeap, c: number): Groups {
  const simd = simdLoops(heap.memory);
  const js = jsLoops(heap.memory);
  let scratch = scratchOf.get(heap.memory);
  if (scratch === undefined) {
    scratch = heap.malloc(256);
    scratchOf.set(heap.memory, scratch);
  }
  const list: Group[] = [];
  for (let k = 0; k < c; ) {
    const lanes = simd && c - k >= 8 ? 8 : Math.min(4, c - k);
    list.push({ k, lanes, loops: simd && lanes >= 4 ? simd[lanes as 8 | 4] : js });
    k += lanes;
  }
  const path: LoopPath = list.every((g) => g.loops !== js) ? 'simd' : 'js';
  return { list, params: scratch, sums: scratch + 128, done: (kernel) => void lastPaths.set(kernel, path) };
}

/** Parameter and sum arrays hold 8 values for the 8-channel loops, 4 otherwise. */
const widthOf = (lanes: number): number => (lanes === 8 ? 8 : 4);

/** 1/√(variance + ε) as tf.rsqrt(tf.add(variance, eps)) rounds it. */
const invStdOf = (variance: number, eps: number): number => f(1 / Math.sqrt(f(variance + f(eps))));

/**
 * Inputs x, gamma, beta; attr eps. Outputs y, the batch mean, the biased batch variance and the
 * unbiased one (as tf.mul(biased, m / (m − 1)) rounds it).
 */
function forwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const heap = wasmHeap(backend);
  const { x, gamma, beta } = inputs as Record<'x' | 'gamma' | 'beta', tf.TensorInfo>;
  const eps = attrs!.eps as number;
  const c = x.shape.at(-1)!;
  const m = tf.util.sizeFromShape(x.shape) / c;
  const outputs = [heap.makeOutput(x.shape), ...[0, 1, 2].map(() => heap.makeOutput([c]))] as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const [yOut, meanOut, varOut, unbiasedOut] = outputs;
  const groups = groupsOn(heap, c);
  // Views only after every allocation: growing the heap detaches earlier ones.
  const [g, be, mean, variance, unbiased] = [gamma, beta, meanOut, varOut, unbiasedOut].map((t) => heap.values(t)) as Float32Array[];
  const scratch = new Float32Array(heap.memory.buffer, groups.params, 32);
  const sums = new Float64Array(heap.memory.buffer, groups.sums, 16);
  const [xo, yo, mo] = [heap.offsetOf(x), heap.offsetOf(yOut), heap.offsetOf(meanOut)];
  const stride = 4 * c;
  for (const { k, lanes, loops } of groups.list) {
    const w = widthOf(lanes);
    loops.sums(xo + 4 * k, m, stride, groups.sums, lanes);
    for (let j = 0; j < lanes; j++) mean![k + j] = f(sums[j]!) / m;
    loops.squares(xo + 4 * k, m, stride, mo + 4 * k, groups.sums, lanes);
    for (let j = 0; j < lanes; j++) {
      variance![k + j] = f(sums[j]!) / m;
      scratch[j] = mean![k + j]!;
      scratch[w + j] = g![k + j]! * invStdOf(variance![k + j]!, eps);
      scratch[2 * w + j] = be![k + j]!;
    }
    loops.normalize(yo + 4 * k, xo + 4 * k, m, stride, groups.params, lanes);
  }
  const bessel = f(m / (m - 1));
  for (let k = 0; k < c; k++) unbiased![k] = variance![k]! * bessel;
  groups.done(BN_FORWARD_KERNEL);
  return outputs;
}

/**
 * Inputs dy, x, gamma, mean, variance (the forward's); attr eps. Outputs dx, dγ, dβ:
 * dx = a·dy − k·(x − μ) − b with a = γ·invStd, k = a·invStd²·Σdy(x − μ)/m, b = a·Σdy/m.
 */
function backwardKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const heap = wasmHeap(backend);
  const { dy, x, gamma, mean, variance } = inputs as Record<'dy' | 'x' | 'gamma' | 'mean' | 'variance', tf.TensorInfo>;
  const eps = attrs!.eps as number;
  const c = x.shape.at(-1)!;
  const m = tf.util.sizeFromShape(x.shape) / c;
  const outputs = [heap.makeOutput(x.shape), heap.makeOutput([c]), heap.makeOutput([c])] as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
  const [dxOut, dgOut, dbOut] = outputs;
  const groups = groupsOn(heap, c);
  const [g, mu, v, dg, db] = [gamma, mean, variance, dgOut, dbOut].map((t) => heap.values(t)) as Float32Array[];
  const scratch = new Float32Array(heap.memory.buffer, groups.params, 32);
  const sums = new Float64Array(heap.memory.buffer, groups.sums, 16);
  const [dyo, xo, mo, dxo] = [heap.offsetOf(dy), heap.offsetOf(x), heap.offsetOf(mean), heap.offsetOf(dxOut)];
  const stride = 4 * c;
  for (const { k, lanes, loops } of groups.list) {
    const w = widthOf(lanes);
    loops.gradientSums(dyo + 4 * k, xo + 4 * k, m, stride, mo + 4 * k, groups.sums, lanes);
    for (let j = 0; j < lanes; j++) {
      const inv = invStdOf(v![k + j]!, eps);
      const sumDy = f(sums[j]!), sumDyC = f(sums[w + j]!);
      const a = f(g![k + j]! * inv);
      scratch[j] = mu![k + j]!;
      scratch[w + j] = a;
      scratch[2 * w + j] = a * f(f(inv * inv) * f(sumDyC / m));
      scratch[3 * w + j] = a * f(sumDy / m);
      dg![k + j] = sumDyC * inv;
      db![k + j] = sumDy;
    }
    loops.inputGradient(dxo + 4 * k, dyo + 4 * k, xo + 4 * k, m, stride, groups.params, lanes);
  }
  groups.done(BN_BACKWARD_KERNEL);
  return outputs;
}

/**
 * Inputs runningMean, runningVariance, batchMean, batchVariance; attr weight (the batch's w).
 * Outputs (1 − w)·running + w·batch for the mean and the variance, rounded as running.ts's tfjs
 * ops round them: one kernel instead of six.
 */
function runningStatsKernel({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const heap = wasmHeap(backend);
  const { runningMean, runningVariance, batchMean, batchVariance } = inputs as Record<'runningMean' | 'runningVariance' | 'batchMean' | 'batchVariance', tf.TensorInfo>;
  const w = attrs!.weight as number;
  const keep = f(1 - w), take = f(w);
  const outputs = [heap.makeOutput(runningMean.shape), heap.makeOutput(runningVariance.shape)];
  const [rm, rv, bm, bv, mean, variance] = [runningMean, runningVariance, batchMean, batchVariance, ...outputs].map((t) => heap.values(t)) as Float32Array[];
  for (let k = 0; k < rm!.length; k++) {
    mean![k] = f(rm![k]! * keep) + f(bm![k]! * take);
    variance![k] = f(rv![k]! * keep) + f(bv![k]! * take);
  }
  return outputs;
}

export const BN_KERNELS: tf.KernelConfig[] = [
  { kernelName: BN_FORWARD_KERNEL, backendName: 'wasm', kernelFunc: forwardKernel as tf.KernelFunc },
  { kernelName: BN_BACKWARD_KERNEL, backendName: 'wasm', kernelFunc: backwardKernel as tf.KernelFunc },
  { kernelName: RUNNING_STATS_KERNEL, backendName: 'wasm', kernelFunc: runningStatsKernel as tf.KernelFunc },
];

/** fused.ts's op with its passes as the kernels above. */
export const KERNEL_PASSES: FusedPasses = {
  forward(x, gamma, beta, eps) {
    const [y, mean, variance, varianceUnbiased] = tf.engine().runKernel(BN_FORWARD_KERNEL, { x, gamma, beta }, { eps }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    return { y, mean, variance, varianceUnbiased, saved: [x, gamma, mean, variance] };
  },
  backward(dy, saved, eps) {
    const [x, gamma, mean, variance] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    return tf.engine().runKernel(BN_BACKWARD_KERNEL, { dy, x, gamma, mean, variance }, { eps }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
  },
};

/** Whether `kernel` is registered for the backend in use (registerLabKernels: WASM). */
const runsHere = (kernel: string): boolean => tf.getKernel(kernel, tf.getBackend()) !== undefined;

/**
 * Training-mode BN as the lab trains it: src/lib/bn's batchNormTrainFused, with its two passes as
 * the kernels above where they are registered for the backend in use, as tfjs ops elsewhere.
 */
export function labBatchNormTrain(x: tf.Tensor, p: Omit<FusedParams, 'passes'>): FusedBatchNormResult {
  return batchNormTrainFused(x, runsHere(BN_FORWARD_KERNEL) ? { ...p, passes: KERNEL_PASSES } : p);
}

/** src/lib/bn's updateRunningStats, as one kernel where it is registered for the backend in use. */
export function labUpdateRunningStats(running: RunningStats, batch: BatchStats, options: UpdateOptions): RunningStats {
  if (!runsHere(RUNNING_STATS_KERNEL)) return updateRunningStats(running, batch, options);
  const { weight, batchVariance } = runningUpdateInputs(running, batch, options);
  const inputs = { runningMean: running.mean, runningVariance: running.variance, batchMean: batch.mean, batchVariance };
  const [mean, variance] = tf.engine().runKernel(RUNNING_STATS_KERNEL, inputs, { weight }) as [tf.Tensor1D, tf.Tensor1D];
  return { mean, variance, batches: running.batches + 1 };
}
