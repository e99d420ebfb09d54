import * as tf from '@tensorflow/tfjs-core';
import { batchNormInference, CONVENTIONS, groupNorm, type RunningStats } from '../../bn';
import { CNN_CHANNELS, MLP_UNITS, type Convention, type Placement, type Preset, type TwinNorm } from '../config';
import { conv2dSameBias, labBatchNormTrain, labUpdateRunningStats } from '../../kernels';

/**
 * The lab's networks, built from tfjs ops and a few ops of our own with their gradients
 * (tfjs-layers' fused conv gradient calls a kernel WASM lacks, and its BatchNormalization has the
 * bugs listed in the Pitfalls chapter): conv + bias as one op, training-mode BN as one op with its
 * closed-form gradient (src/lib/kernels). One definition gives both twins:
 * `norm: null` is the plain network, anything else adds a normalization per layer.
 */
export interface ModelSpec {
  preset: Preset;
  norm: TwinNorm | null;
  placement: Placement;
  groups: number;
  convention: Convention;
}

interface Layer {
  kind: 'conv' | 'dense';
  weight: tf.Variable;
  bias: tf.Variable;
  norm?: NormLayer;
}

interface NormLayer {
  gamma: tf.Variable;
  beta: tf.Variable;
  running: RunningStats;
}

export interface ForwardTaps {
  /** Each hidden layer's input to its nonlinearity, for the unit the lab watches. */
  preActivations: tf.Tensor1D[];
  /**
   * When present, each hidden layer's whole activation going into its normalization and coming
   * out of it (inference mode: the running averages), for the lab's feature maps. A layer
   * without an active normalization records only `before` (its linear output).
   */
  maps?: Array<{ before: tf.Tensor; after?: tf.Tensor }>;
}

export interface Model {
  spec: ModelSpec;
  layers: Layer[];
  head: Layer;
  trainable: tf.Variable[];
  /** Training-mode forward: batch statistics; records each BN layer's batch stats in `batchStats`. */
  forwardTrain(x: tf.Tensor, batchStats: BatchStat[], taps?: ForwardTaps, noise?: NoiseSample[]): tf.Tensor2D;
  /** Inference-mode forward: running averages (BN) or the example's own statistics (GN). */
  forwardInfer(x: tf.Tensor, taps?: ForwardTaps): tf.Tensor2D;
  /** Applies the recorded batch statistics to the running averages, then frees them. */
  commitRunningStats(batchStats: BatchStat[]): void;
  dispose(): void;
}

export interface BatchStat {
  layer: number;
  mean: tf.Tensor1D;
  varianceBiased: tf.Tensor1D;
  varianceUnbiased: tf.Tensor1D;
}

/** Per-channel noise of noisy BN: y·scale + shift, redrawn every step. */
export interface NoiseSample {
  scale: tf.Tensor1D;
  shift: tf.Tensor1D;
}


/**
 * A trainable variable holding `init`'s values. tf.variable keeps the initial tensor alive beside
 * the variable; freeing it here stops every model (each reset, sweep point and speed measurement) from
 * leaving one tensor per parameter behind.
 */
function trainableFrom(init: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(init, true, name);
  init.dispose();
  return v;
}

/** Deterministic per-parameter seeds, so both twins start from identical weights. */
const seedFor = (seed: number, index: number): number => (seed * 1000 + index * 7919) % 2147483647;

export function buildModel(spec: ModelSpec, seed: number): Model {
  const layers: Layer[] = [];
  const makeNorm = (channels: number, name: string): NormLayer | undefined => {
    if (!spec.norm) return undefined;
    return {
      gamma: trainableFrom(tf.ones([channels]), `${name}/gamma`),
      beta: trainableFrom(tf.zeros([channels]), `${name}/beta`),
      running: { mean: tf.zeros([channels]), variance: tf.ones([channels]), batches: 0 },
    };
  };
  // Variable names must be unique across the twins living in one tfjs engine.
  const id = Math.random().toString(36).slice(2, 8);
  if (spec.preset === 'cnn') {
    let inC = 1;
    CNN_CHANNELS.forEach((outC, i) => {
      const std = Math.sqrt(2 / (9 * inC)); // He init for ReLU
      layers.push({
        kind: 'conv',
        weight: trainableFrom(tf.randomNormal([3, 3, inC, outC], 0, std, 'float32', seedFor(seed, i)), `${id}/conv${i}/w`),
        bias: trainableFrom(tf.zeros([outC]), `${id}/conv${i}/b`),
        norm: makeNorm(outC, `${id}/conv${i}/norm`),
      });
      inC = outC;
    });
  } else {
    let inUnits = 784;
    MLP_UNITS.forEach((units, i) => {
      const std = Math.sqrt(2 / (inUnits + units)); // Glorot init for sigmoid
      layers.push({
        kind: 'dense',
        weight: trainableFrom(tf.randomNormal([inUnits, units], 0, std, 'float32', seedFor(seed, i)), `${id}/fc${i}/w`),
        bias: trainableFrom(tf.zeros([units]), `${id}/fc${i}/b`),
        norm: makeNorm(units, `${id}/fc${i}/norm`),
      });
      inUnits = units;
    });
  }
  const headIn = spec.preset === 'cnn' ? 3 * 3 * CNN_CHANNELS[CNN_CHANNELS.length - 1]! : MLP_UNITS[MLP_UNITS.length - 1]!;
  const head: Layer = {
    kind: 'dense',
    weight: trainableFrom(tf.randomNormal([headIn, 10], 0, Math.sqrt(1 / headIn), 'float32', seedFor(seed, 99)), `${id}/head/w`),
    bias: trainableFrom(tf.zeros([10]), `${id}/head/b`),
  };
  const eps = CONVENTIONS[spec.convention].eps;
  // "unused-bn" builds the layers and never calls them: the pitfall this preset demonstrates.
  const normActive = spec.norm !== null && spec.norm !== 'unused-bn';
  const activation = (z: tf.Tensor): tf.Tensor => (spec.preset === 'cnn' ? tf.relu(z) : tf.sigmoid(z));

  const normalize = (z: tf.Tensor, layer: Layer, index: number, mode: 'train' | 'infer', stats: BatchStat[] | undefined, noise: NoiseSample | undefined): tf.Tensor => {
    const n = layer.norm!;
    if (spec.norm === 'gn') {
      const z4 = z.rank === 4 ? z : tf.reshape(z, [z.shape[0]!, 1, 1, z.shape[1]!]);
      const y = groupNorm(z4 as tf.Tensor4D, { gamma: n.gamma, beta: n.beta, eps, groups: spec.groups, validate: false });
      return z.rank === 4 ? y : tf.reshape(y, z.shape);
    }
    if (mode === 'infer') {
      return batchNormInference(z, { gamma: n.gamma, beta: n.beta, runningMean: n.running.mean, runningVar: n.running.variance, eps, validate: false });
    }
    // One op with its closed-form gradient (src/lib/kernels): one kernel each way on WASM,
    // tfjs ops elsewhere. Its statistics come back kept, as `stats` holds them.
    const r = labBatchNormTrain(z, { gamma: n.gamma, beta: n.beta, eps, validate: false, keepStats: true });
    if (stats) stats.push({ layer: index, mean: r.mean, varianceBiased: r.varianceBiased, varianceUnbiased: r.varianceUnbiased });
    else tf.dispose([r.mean, r.varianceBiased, r.varianceUnbiased]);
    return noise ? tf.add(tf.mul(r.y, noise.scale), noise.shift) : r.y;
  };

  const forward = (x: tf.Tensor, mode: 'train' | 'infer', stats?: BatchStat[], taps?: ForwardTaps, noise?: NoiseSample[]): tf.Tensor2D => {
    let h: tf.Tensor = spec.preset === 'cnn' ? tf.reshape(x, [-1, 28, 28, 1]) : tf.reshape(x, [-1, 784]);
    layers.forEach((layer, i) => {
      // Convolution and bias as one op (src/lib/kernels); the first layer's input is the data,
      // so no gradient is computed for it.
      let z: tf.Tensor =
        layer.kind === 'conv'
          ? conv2dSameBias(h as tf.Tensor4D, layer.weight as tf.Tensor4D, layer.bias as tf.Tensor1D, i > 0)
          : tf.add(tf.matMul(h as tf.Tensor2D, layer.weight as tf.Tensor2D), layer.bias);
      const map: { before: tf.Tensor; after?: tf.Tensor } = { before: z };
      if (normActive && spec.placement === 'before') z = map.after = normalize(z, layer, i, mode, stats, noise?.[i]);
      if (taps) taps.preActivations.push(tapUnit(z));
      h = activation(z);
      if (normActive && spec.placement === 'after') {
        map.before = h;
        h = map.after = normalize(h, layer, i, mode, stats, noise?.[i]);
      }
      taps?.maps?.push(map);
      if (layer.kind === 'conv') h = tf.maxPool(h as tf.Tensor4D, 2, 2, 'valid');
    });
    const flat = tf.reshape(h, [h.shape[0]!, -1]) as tf.Tensor2D;
    return tf.add(tf.matMul(flat, head.weight as tf.Tensor2D), head.bias) as tf.Tensor2D;
  };

  const trainable = [...layers.flatMap((l) => [l.weight, l.bias, ...(l.norm && normActive ? [l.norm.gamma, l.norm.beta] : [])]), head.weight, head.bias];

  return {
    spec,
    layers,
    head,
    trainable,
    forwardTrain: (x, stats, taps, noise) => forward(x, 'train', stats, taps, noise),
    forwardInfer: (x, taps) => forward(x, 'infer', undefined, taps),
    commitRunningStats(stats) {
      for (const s of stats) {
        const norm = layers[s.layer]!.norm!;
        const next = labUpdateRunningStats(norm.running, s, { convention: spec.convention });
        tf.dispose([norm.running.mean, norm.running.variance]);
        norm.running = next;
        tf.dispose([s.mean, s.varianceBiased, s.varianceUnbiased]);
      }
    },
    dispose() {
      for (const l of [...layers, head]) {
        tf.dispose([l.weight, l.bias]);
        if (l.norm) tf.dispose([l.norm.gamma, l.norm.beta, l.norm.running.mean, l.norm.running.variance]);
      }
    },
  };
}

/** The watched unit: channel 0 at the centre pixel for convs, unit 0 for dense layers. */
function tapUnit(z: tf.Tensor): tf.Tensor1D {
  if (z.rank === 4) {
    const [, h, w] = z.shape as number[];
    return tf.reshape(tf.slice(z, [0, Math.floor(h! / 2), Math.floor(w! / 2), 0], [-1, 1, 1, 1]), [-1]) as tf.Tensor1D;
  }
  return tf.reshape(tf.slice(z, [0, 0], [-1, 1]), [-1]) as tf.Tensor1D;
}
