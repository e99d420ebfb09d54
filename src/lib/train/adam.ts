import * as tf from '@tensorflow/tfjs-core';

/**
 * tf.train.adam's update for all of a network's variables as one kernel of the WASM backend, in
 * JavaScript over the WASM heap. tfjs's Adam runs 14 kernels per variable and 4 per step (the
 * lab's CNN: 116 a step without BN, 200 with it), and at the lab's size a step is bound by the
 * number of kernels. Same numbers: each of tfjs's float32 ops is one rounding `f` here, in
 * tfjs's order, with its scalars (β1, 1 − β1, ε, −lr) rounded to float32 as tfjs's scalar
 * tensors are, and the bias corrections 1 − β^t from float32 powers as tfjs keeps them
 * (tests/unit/train/adam.test.ts compares the bits over several steps).
 */
export const ADAM_KERNEL = 'LabAdamUpdate';

const f = Math.fround;

interface WasmBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
}

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
 * Inputs value{i}, grad{i}, m{i}, v{i} for i < count. Outputs the new values, then the new first
 * moments, then the new second moments, each in input order.
 */
function adamKernel({ inputs, backend, attrs }: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }): tf.TensorInfo[] {
  const b = backend as WasmBackend;
  const a = attrs as unknown as AdamAttrs;
  const at = (name: string, i: number) => inputs[`${name}${i}`]!;
  const outs: tf.TensorInfo[][] = [[], [], []];
  for (let i = 0; i < a.count; i++) for (const o of outs) o.push(b.makeOutput(at('value', i).shape, 'float32'));
  const b1 = f(a.beta1), c1 = f(1 - a.beta1), b2 = f(a.beta2), c2 = f(1 - a.beta2);
  const eps = f(a.epsilon), negLr = f(-a.learningRate);
  const oneMinusAcc1 = f(1 - a.accBeta1), oneMinusAcc2 = f(1 - a.accBeta2);
  // Views only after every allocation: growing the heap detaches earlier ones.
  for (let i = 0; i < a.count; i++) {
    const [value, grad, m, v, newValue, newM, newV] = [at('value', i), at('grad', i), at('m', i), at('v', i), outs[0]![i]!, outs[1]![i]!, outs[2]![i]!].map((t) => b.typedArrayFromHeap(t)) as Float32Array[];
    for (let j = 0; j < value!.length; j++) {
      const g = grad![j]!;
      const m1 = f(f(m![j]! * b1) + f(g * c1));
      const v1 = f(f(v![j]! * b2) + f(f(g * g) * c2));
      newM![j] = m1;
      newV![j] = v1;
      const mHat = f(m1 / oneMinusAcc1);
      const vHat = f(v1 / oneMinusAcc2);
      newValue![j] = f(f(mHat / f(f(Math.sqrt(vHat)) + eps)) * negLr) + value![j]!;
    }
  }
  return outs.flat();
}

let registered = false;

function registerAdamKernel(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({ kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adamKernel as tf.KernelFunc });
}

/** Adam with tfjs's defaults (β1 0.9, β2 0.999, the backend's ε) whose update is one WASM kernel. */
export class WasmAdam extends tf.Optimizer {
  readonly learningRate: number;
  readonly beta1 = 0.9;
  readonly beta2 = 0.999;
  readonly epsilon: number;
  #accBeta1 = f(0.9);
  #accBeta2 = f(0.999);
  readonly #moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();

  constructor(learningRate: number) {
    super();
    registerAdamKernel();
    this.learningRate = learningRate;
    this.epsilon = tf.backend().epsilon();
  }

  applyGradients(variableGradients: tf.NamedTensorMap | Array<{ name: string; tensor: tf.Tensor }>): void {
    const named = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const present = named.filter((g) => g.tensor != null);
    const variables = present.map((g) => tf.engine().registeredVariables[g.name]!);
    const inputs: tf.NamedTensorMap = {};
    present.forEach((g, i) => {
      const value = variables[i]!;
      let moments = this.#moments.get(g.name);
      if (!moments) {
        moments = { m: tf.keep(tf.zerosLike(value)), v: tf.keep(tf.zerosLike(value)) };
        this.#moments.set(g.name, moments);
      }
      Object.assign(inputs, { [`value${i}`]: value, [`grad${i}`]: g.tensor, [`m${i}`]: moments.m, [`v${i}`]: moments.v });
    });
    const attrs: AdamAttrs = { count: present.length, learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, accBeta1: this.#accBeta1, accBeta2: this.#accBeta2 };
    const outs = tf.engine().runKernel(ADAM_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
    const count = present.length;
    present.forEach((g, i) => {
      variables[i]!.assign(outs[i]!);
      const moments = this.#moments.get(g.name)!;
      tf.dispose([moments.m, moments.v, outs[i]!]);
      moments.m = tf.keep(outs[count + i]!);
      moments.v = tf.keep(outs[2 * count + i]!);
    });
    this.#accBeta1 = f(this.#accBeta1 * f(this.beta1));
    this.#accBeta2 = f(this.#accBeta2 * f(this.beta2));
    this.incrementIterations();
  }

  getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    for (const { m, v } of this.#moments.values()) tf.dispose([m, v]);
    this.#moments.clear();
  }
}
