import * as tf from '@tensorflow/tfjs-core';
import { wasmHeap } from './wasm-heap';

/**
 * Identity on WASM without a copy. tfjs saves every tensor an op keeps for its gradient as a
 * clone, an Identity kernel, and tfjs-backend-wasm's Identity copies the data (its cpu and WebGL
 * backends share it, as its own Reshape does on WASM). A training step saves the input of every
 * convolution, ReLU, pooling and BN: with BN the CNN's step copied 38 tensors, among them every
 * activation. Tensors are immutable, so sharing the data (one more reference; the data is freed
 * with the last tensor) computes the same thing with no copy.
 */
function identityKernel({ inputs, backend }: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  return wasmHeap(backend).share(inputs.x!);
}

export const IDENTITY_KERNEL_CONFIG: tf.KernelConfig = { kernelName: tf.Identity, backendName: 'wasm', kernelFunc: identityKernel as tf.KernelFunc };
