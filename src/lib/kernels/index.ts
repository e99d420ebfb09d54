import * as tf from '@tensorflow/tfjs-core';
// tfjs's gradients first: registerLabKernels replaces two of them.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { ADAM_KERNEL_CONFIG } from './adam';
import { BN_KERNELS } from './batchnorm';
import { CONV2D_GRADIENT } from './conv-gradient';
import { IDENTITY_KERNEL_CONFIG } from './identity';
import { MAX_POOL_GRADIENT } from './pool-gradient';

/**
 * The lab's training kernels, in one place: ops with gradients of their own, and kernels for the
 * WASM backend where a training step of the lab's size is bound by the number of kernels and
 * their copies rather than by arithmetic (measured with `npm run bench`'s profile).
 *
 * - batchnorm.ts: training-mode BN forward and backward, one kernel each (their passes over the
 *   data in bn-loops.wat, 128-bit SIMD), and the running averages' update;
 * - adam.ts: Adam for all of a network's variables as one kernel;
 * - conv-gradient.ts: conv + bias as one op, and Conv2D's gradient from forward convolutions;
 * - pool-gradient.ts: the 2×2 max-pool gradient (tfjs 4.22's WASM kernel drops gradients);
 * - identity.ts: Identity without a copy (tfjs saves tensors for gradients as Identity clones).
 *
 * Every kernel reads tfjs-backend-wasm's internals through wasm-heap.ts. The ops use a kernel
 * where it is registered for the backend in use, and tfjs ops elsewhere.
 */
export { labBatchNormTrain, labUpdateRunningStats, lastLoopPath, BN_FORWARD_KERNEL, BN_BACKWARD_KERNEL, RUNNING_STATS_KERNEL, KERNEL_PASSES } from './batchnorm';
export { labAdam, WasmAdam, ADAM_KERNEL } from './adam';
export { conv2dSameBias, conv2dFilterGradient, conv2dInputGradient } from './conv-gradient';
export { maxPool2x2Gradient } from './pool-gradient';
export { wasmHeap, WasmInternalsMoved, type WasmHeap } from './wasm-heap';

let registered = false;

/**
 * Registers every kernel and gradient above (idempotent), replacing tfjs's where there is one
 * (WASM's Identity: call this after importing @tensorflow/tfjs-backend-wasm, as
 * src/lib/train/backend.ts's useBackend does). The gradients apply to every backend and take the
 * lab's forms only on WASM.
 */
export function registerLabKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient(CONV2D_GRADIENT);
  tf.registerGradient(MAX_POOL_GRADIENT);
  for (const config of [...BN_KERNELS, ADAM_KERNEL_CONFIG, IDENTITY_KERNEL_CONFIG]) {
    if (tf.getKernel(config.kernelName, config.backendName)) tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
}
