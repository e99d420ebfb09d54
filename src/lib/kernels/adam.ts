import * as tf from '@tensorflow/tfjs-core';
import { wasmHeap } from './wasm-heap';

/**
 * tf.train.adam's update for all of a network's variables as one kernel of the WASM backend, in
 * JavaScript over the WASM heap. tfjs's Adam runs 14 kernels per variable and 4 per step (the
 * lab's CNN: 116 a step without BN, 200 with it), and at the lab's size a step is bound by the
 * number of kernels. Same numbers: each of tfjs's float32 ops is one rounding `f` here, in
 * tfjs's order, with its scalars (β1, 1 − β1, ε, −lr) rounded to float32 as tfjs's scalar
 * tensors are, and the bias corrections 1 − β^t from float32 powers as tfjs keeps them
 * (tests/unit/kernels/adam.test.ts compares the bits over several steps).
 *
 * The moments of all variables live in two flat tensors (one m, one v), which the kernel
 * replaces each step: two tensors made and freed a step instead of two per variable (BN's γ and
 * β are 6 of the CNN's 14 variables).
 */
export const ADAM_KERNEL = 'LabAdamUpdate';

const f = Math.fround;

interface AdamAttrs {
  count: number;
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** β1^t and β2^t as tfjs's float32 accumulators hold them at this step. */
  accBeta1: number;
  accBeta2: number;
}

/**
 * Inputs value{i}, grad{i} for i < count, and m, v: every variable's moments, flat, in input
 * order. Outputs the new values in input order, then the new m and v.
 */
function adamKernel({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const heap = wasmHeap(backend);
  const a = attrs as unknown as AdamAttrs;
  const at = (name: string, i: number) => inputs[`${name}${i}`]!;
  const values = Array.from({ length: a.count }, (_, i) => heap.makeOutput(at('value', i).shape));
  const moments = [heap.makeOutput(inputs.m!.shape), heap.makeOutput(inputs.v!.shape)];
  const b1 = f(a.beta1), c1 = f(1 - a.beta1), b2 = f(a.beta2), c2 = f(1 - a.beta2);
  const eps = f(a.epsilon), negLr = f(-a.learningRate);
  const oneMinusAcc1 = f(1 - a.accBeta1), oneMinusAcc2 = f(1 - a.accBeta2);
  // Views only after every allocation: growing the heap detaches earlier ones.
  const [m, v, newM, newV] = [inputs.m!, inputs.v!, ...moments].map((t) => heap.values(t)) as Float32Array[];
  let o = 0;
  for (let i = 0; i < a.count; i++) {
    const [value, grad, newValue] = [at('value', i), at('grad', i), values[i]!].map((t) => heap.values(t)) as Float32Array[];
    for (let j = 0; j < value!.length; j++, o++) {
      const g = grad![j]!;
      const m1 = f(f(m![o]! * b1) + f(g * c1));
      const v1 = f(f(v![o]! * b2) + f(f(g * g) * c2));
      newM![o] = m1;
      newV![o] = v1;
      const mHat = f(m1 / oneMinusAcc1);
      const vHat = f(v1 / oneMinusAcc2);
      newValue![j] = f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + value![j]!;
    }
  }
  return [...values, ...moments];
}

export const ADAM_KERNEL_CONFIG: tf.KernelConfig = { kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adamKernel as tf.KernelFunc };

/** Adam with tfjs's defaults (β1 0.9, β2 0.999, the backend's ε) whose update is one WASM kernel. */
export class WasmAdam extends tf.Optimizer {
  readonly learningRate: number;
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon: number;
  #accBeta1 = f(0.9);
  #accBeta2 = f(0.999);
  /** Every variable's moments, flat, in the order of `#layout`. */
  #m: tf.Tensor1D | null = null;
  #v: tf.Tensor1D | null = null;
  #layout: Array<{ name: string; size: number }> = [];

  constructor(learningRate: number) {
    super();
    this.learningRate = learningRate;
    this.epsilon = tf.backend().epsilon();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const present = named.filter((g) => g.tensor != null);
    const variables = present.map((g) => tf.engine().registeredVariables[g.name]!);
    this.#layoutMoments(present.map((g) => g.name), variables);
    const inputs: tf.NamedTensorMap = { m: this.#m!, v: this.#v! };
    present.forEach((g, i) => Object.assign(inputs, { [`value${i}`]: variables[i]!, [`grad${i}`]: g.tensor }));
    const attrs: AdamAttrs = { count: present.length, learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, accBeta1: this.#accBeta1, accBeta2: this.#accBeta2 };
    const outs = tf.engine().runKernel(ADAM_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    variables.forEach((variable, i) => {
      variable.assign(outs[i]!);
      outs[i]!.dispose();
    });
    tf.dispose([this.#m!, this.#v!]);
    this.#m = tf.keep(outs[present.length]! as tf.Tensor1D);
    this.#v = tf.keep(outs[present.length + 1]! as tf.Tensor1D);
    this.#accBeta1 = f(this.#accBeta1 * f(this.beta1));
    this.#accBeta2 = f(this.#accBeta2 * f(this.beta2));
    this.incrementIterations();
  }

  /**
   * Lays the moments out for these variables in this order: unchanged from step to step in the
   * lab; when the set changes, a variable seen before keeps its moments and a new one starts at 0.
   */
  #layoutMoments(names: string[], variables: tf.Variable[]): void {
    if (this.#m && names.length === this.#layout.length && names.every((n, i) => n === this.#layout[i]!.name)) return;
    const layout = names.map((name, i) => ({ name, size: variables[i]!.size }));
    const m = new Float32Array(layout.reduce((total, l) => total + l.size, 0));
    const v = new Float32Array(m.length);
    if (this.#m && this.#v) {
      const [oldM, oldV] = [this.#m.dataSync(), this.#v.dataSync()];
      const oldStart = new Map<string, number>();
      let start = 0;
      for (const l of this.#layout) {
        oldStart.set(l.name, start);
        start += l.size;
      }
      start = 0;
      for (const l of layout) {
        const from = oldStart.get(l.name);
        if (from !== undefined) {
          m.set(oldM.subarray(from, from + l.size), start);
          v.set(oldV.subarray(from, from + l.size), start);
        }
        start += l.size;
      }
      tf.dispose([this.#m, this.#v]);
    }
    this.#m = tf.keep(tf.tensor1d(m));
    this.#v = tf.keep(tf.tensor1d(v));
    this.#layout = layout;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    tf.dispose([this.#m ?? [], this.#v ?? []].flat());
    this.#m = this.#v = null;
    this.#layout = [];
  }
}

/** Adam at `learningRate`: one kernel where ADAM_KERNEL is registered for the backend in use (registerLabKernels: WASM), tf.train.adam elsewhere. */
export function labAdam(learningRate: number): tf.Optimizer {
  return tf.getKernel(ADAM_KERNEL, tf.getBackend()) ? new WasmAdam(learningRate) : tf.train.adam(learningRate);
}
