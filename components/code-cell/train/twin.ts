/**
 * The lab's CNN (3×3 conv 8→16→32, BN before ReLU, 2×2 max pooling, a dense head; the lab's
 * initialization and Adam), trained twice in lockstep on the same batches: once with the reader's
 * batchNorm as every conv layer's normalization, once with the site's own (src/lib/bn). Runs in
 * the sandbox's training worker and, for the tests, on Node. The reader's function gets each
 * conv output as [N·H·W, C] in training mode; the site keeps the running averages from the mean
 * and variance it returns (PyTorch's convention) and evaluates both networks in inference mode.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchNormInference, CONVENTIONS, type RunningStats } from '../../../src/lib/bn';
import { conv2dSameBias, labAdam, labBatchNormTrain, labUpdateRunningStats } from '../../../src/lib/kernels';
import { CNN_CHANNELS } from '../../../src/lib/train/config';
import { TRAIN_SETTINGS, type EvalRecord, type Place, type StepRecord, type TrainData } from './protocol';

const IMAGE = 28 * 28;
const EPS = CONVENTIONS.pytorch.eps;

/** The reader's layer: batchNorm(x, gamma, beta, eps, runningMean, runningVar) → { y, mean, variance }. */
export type ReaderNorm = (...args: unknown[]) => unknown;
/** Their batchNormBackward(x, gamma, dy, eps) → { dx, dgamma, dbeta }. */
export type ReaderBackward = (...args: unknown[]) => unknown;

interface ConvLayer {
  weight: tf.Variable;
  bias: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  running: RunningStats;
}

interface Net {
  layers: ConvLayer[];
  headWeight: tf.Variable;
  headBias: tf.Variable;
  trainable: tf.Variable[];
}

/** Per-layer statistics a training forward hands to the running averages. */
interface Stats {
  mean: tf.Tensor1D;
  /** Biased (divides by the rows). */
  variance: tf.Tensor1D;
  /** Rows the statistics were taken over (N·H·W), for the unbiased variance the running average takes. */
  rows: number;
}

/** src/lib/train/model.ts's seeds and initialization, so both twins start from the lab's weights. */
const seedFor = (seed: number, index: number): number => (seed * 1000 + index * 7919) % 2147483647;

function variable(init: tf.Tensor, name: string): tf.Variable {
  const v = tf.variable(init, true, name);
  init.dispose();
  return v;
}

function buildNet(seed: number, tag: string): Net {
  let inC = 1;
  const layers = CNN_CHANNELS.map((outC, i): ConvLayer => {
    const std = Math.sqrt(2 / (9 * inC)); // He init for ReLU
    const layer = {
      weight: variable(tf.randomNormal([3, 3, inC, outC], 0, std, 'float32', seedFor(seed, i)), `${tag}/conv${i}/w`),
      bias: variable(tf.zeros([outC]), `${tag}/conv${i}/b`),
      gamma: variable(tf.ones([outC]), `${tag}/conv${i}/gamma`),
      beta: variable(tf.zeros([outC]), `${tag}/conv${i}/beta`),
      running: { mean: tf.zeros([outC]) as tf.Tensor1D, variance: tf.ones([outC]) as tf.Tensor1D, batches: 0 },
    };
    inC = outC;
    return layer;
  });
  const headIn = 3 * 3 * CNN_CHANNELS[CNN_CHANNELS.length - 1]!;
  const headWeight = variable(tf.randomNormal([headIn, 10], 0, Math.sqrt(1 / headIn), 'float32', seedFor(seed, 99)), `${tag}/head/w`);
  const headBias = variable(tf.zeros([10]), `${tag}/head/b`);
  return { layers, headWeight, headBias, trainable: [...layers.flatMap((l) => [l.weight, l.bias, l.gamma, l.beta]), headWeight, headBias] };
}

function disposeNet(net: Net): void {
  for (const l of net.layers) tf.dispose([l.weight, l.bias, l.gamma, l.beta, l.running.mean, l.running.variance]);
  tf.dispose([net.headWeight, net.headBias]);
}

/** A training-mode normalization of [m, C] rows at one layer: its output and the statistics to keep. */
type TrainNorm = (z: tf.Tensor2D, layer: ConvLayer, index: number) => tf.Tensor2D;

function forward(net: Net, x: tf.Tensor, norm: TrainNorm | 'inference'): tf.Tensor2D {
  let h = tf.reshape(x, [-1, 28, 28, 1]) as tf.Tensor4D;
  net.layers.forEach((layer, i) => {
    const z = conv2dSameBias(h, layer.weight as tf.Tensor4D, layer.bias as tf.Tensor1D, i > 0);
    const [n, height, width, c] = z.shape;
    const rows = tf.reshape(z, [n * height * width, c]) as tf.Tensor2D;
    const y =
      norm === 'inference'
        ? batchNormInference(rows, { gamma: layer.gamma, beta: layer.beta, runningMean: layer.running.mean, runningVar: layer.running.variance, eps: EPS, validate: false })
        : norm(rows, layer, i);
    h = tf.maxPool(tf.relu(tf.reshape(y, z.shape)) as tf.Tensor4D, 2, 2, 'valid');
  });
  const flat = tf.reshape(h, [h.shape[0], -1]) as tf.Tensor2D;
  return tf.add(tf.matMul(flat, net.headWeight as tf.Tensor2D), net.headBias) as tf.Tensor2D;
}

/** An error in the reader's layer, with where it happened. */
export class LayerError extends Error {
  constructor(
    readonly place: Place,
    readonly reason: unknown,
  ) {
    super(reason instanceof Error ? reason.message : String(reason));
    this.name = reason instanceof Error ? reason.name : 'Error';
  }
}

const describeShape = (v: unknown): string => (v instanceof tf.Tensor ? `shape [${v.shape.join(', ')}]` : v === undefined ? 'nothing' : typeof v);

export interface TwinHooks {
  /** Before each call of the reader's code (the sandbox's host names the place if it never returns). */
  onPlace?(place: Place): void;
  onStep?(record: StepRecord): void;
  onEval?(record: EvalRecord): void;
  onNote?(text: string): void;
}

export interface TwinResult {
  steps: StepRecord[];
  evals: EvalRecord[];
  notes: string[];
  examplesPerSecond: number;
}

/**
 * Trains both networks for `steps` steps (stopping early when the reader's loss is no longer
 * finite). Throws a LayerError when the reader's code throws or returns something unusable.
 */
export async function trainTwins(data: TrainData, steps: number, readerNorm: ReaderNorm, hooks: TwinHooks = {}, readerBackward?: ReaderBackward): Promise<TwinResult> {
  const { batchSize, learningRate, seed, evalEvery } = TRAIN_SETTINGS;
  const mine = buildNet(seed, 'mine');
  const site = buildNet(seed, 'site');
  // As the lab's trainer: on WASM one kernel updates every variable (adam.ts), tf.train.adam's numbers.
  const adam = (): tf.Optimizer => labAdam(learningRate);
  const optimizers = [adam(), adam()] as const;
  const result: TwinResult = { steps: [], evals: [], notes: [], examplesPerSecond: 0 };
  const note = (text: string): void => {
    if (result.notes.includes(text)) return;
    result.notes.push(text);
    hooks.onNote?.(text);
  };
  const testCount = data.testLabels.length;
  const test = tf.tidy(() => ({ x: tf.div(tf.tensor2d(Float32Array.from(data.testImages), [testCount, IMAGE]), 255), labels: tf.tensor1d(Int32Array.from(data.testLabels), 'int32') }));
  let step = 0;
  let pass: Place['pass'] = 'forward';
  const at = (layer: number): Place => ({ step, layer, pass });

  const callReader = (place: Place, call: () => unknown): unknown => {
    hooks.onPlace?.(place);
    try {
      return call();
    } catch (err) {
      throw new LayerError(place, err);
    }
  };

  /** The reader's output for one layer, checked; statistics kept for the running averages. */
  const readerForward = (z: tf.Tensor2D, layer: ConvLayer, i: number, stats: Array<Stats | undefined>, diag: tf.Scalar[]): tf.Tensor2D => {
    const place = at(i + 1);
    const out = callReader(place, () => readerNorm(z, layer.gamma, layer.beta, EPS, layer.running.mean, layer.running.variance)) as Record<string, unknown> | undefined;
    const y = out?.y;
    if (!(y instanceof tf.Tensor) || y.shape.join() !== z.shape.join()) {
      throw new LayerError(place, new TypeError(`batchNorm returned y of ${describeShape(y)} for x of shape [${z.shape.join(', ')}]`));
    }
    const { mean, variance } = out as { mean?: unknown; variance?: unknown };
    const c = z.shape[1];
    if (mean instanceof tf.Tensor && variance instanceof tf.Tensor && mean.shape.join() === `${c}` && variance.shape.join() === `${c}`) {
      stats[i] = { mean: tf.keep(mean.clone()) as tf.Tensor1D, variance: tf.keep(variance.clone()) as tf.Tensor1D, rows: z.shape[0] };
    } else {
      // Once per run: the first layer where it happened says enough.
      if (!result.notes.length) {
        note(`At layer ${i + 1} your batchNorm returned a mean of ${describeShape(mean)} and a variance of ${describeShape(variance)}, not one per channel ([${c}]), so the site could not keep running averages there: inference used their initial values (mean 0, variance 1).`);
      }
    }
    // How far their output is from BN's on the same input, and its spread (diagnostics only).
    const reference = labBatchNormTrain(z, { gamma: layer.gamma, beta: layer.beta, eps: EPS, validate: false });
    const yr = y as tf.Tensor2D;
    diag.push(tf.keep(tf.max(tf.abs(tf.sub(yr, reference.y)))), tf.keep(tf.mean(tf.moments(yr, 0).variance)));
    tf.dispose([reference.mean, reference.varianceBiased, reference.varianceUnbiased]);
    return yr;
  };

  /** With their backward: their forward's y, and their batchNormBackward as its gradient. */
  const withBackward = (z: tf.Tensor2D, layer: ConvLayer, i: number, stats: Array<Stats | undefined>, diag: tf.Scalar[]): tf.Tensor2D => {
    const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
      const [x, gamma, , save] = args as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.GradSaveFunc];
      save([x, gamma]);
      return {
        value: readerForward(x, layer, i, stats, diag),
        gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
          const [xs, g] = saved as [tf.Tensor2D, tf.Tensor1D];
          const place: Place = { step, layer: i + 1, pass: 'backward' };
          const grads = callReader(place, () => readerBackward!(xs, g, dy, EPS)) as Record<string, unknown> | undefined;
          const parts = ['dx', 'dgamma', 'dbeta'].map((k) => grads?.[k]);
          if (!parts.every((p) => p instanceof tf.Tensor)) throw new LayerError(place, new TypeError('batchNormBackward must return { dx, dgamma, dbeta } as tensors'));
          return parts as tf.Tensor[];
        },
      };
    });
    return op(z, layer.gamma, layer.beta) as tf.Tensor2D;
  };

  const siteNorm = (stats: Array<Stats | undefined>): TrainNorm => (z, layer, i) => {
    const r = labBatchNormTrain(z, { gamma: layer.gamma, beta: layer.beta, eps: EPS, validate: false, keepStats: true });
    stats[i] = { mean: r.mean as tf.Tensor1D, variance: r.varianceBiased as tf.Tensor1D, rows: z.shape[0] };
    r.varianceUnbiased.dispose();
    return r.y as tf.Tensor2D;
  };

  const commit = (net: Net, stats: Array<Stats | undefined>): void => {
    stats.forEach((s, i) => {
      if (!s) return;
      const layer = net.layers[i]!;
      const varianceUnbiased = tf.mul(s.variance, s.rows / (s.rows - 1)) as tf.Tensor1D;
      const next = labUpdateRunningStats(layer.running, { mean: s.mean, varianceBiased: s.variance, varianceUnbiased }, { convention: 'pytorch' });
      tf.dispose([layer.running.mean, layer.running.variance, s.mean, s.variance, varianceUnbiased]);
      layer.running = next;
    });
  };

  const accuracy = async (net: Net): Promise<number> => {
    const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(forward(net, test.x, 'inference'), 1), test.labels), 'int32')));
    const n = (await correct.data())[0]!;
    correct.dispose();
    return n / testCount;
  };
  const evaluate = async (): Promise<void> => {
    const record: EvalRecord = { step, accuracy: { mine: await accuracy(mine), site: await accuracy(site) } };
    result.evals.push(record);
    hooks.onEval?.(record);
  };

  const started = performance.now();
  try {
    for (step = 0; step < steps; step++) {
      const { x, y } = tf.tidy(() => {
        const pixels = Float32Array.from(data.trainImages.subarray(step * batchSize * IMAGE, (step + 1) * batchSize * IMAGE));
        const labels = Int32Array.from(data.trainLabels.subarray(step * batchSize, (step + 1) * batchSize));
        return { x: tf.div(tf.tensor2d(pixels, [batchSize, IMAGE]), 255), y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') };
      });
      const mineStats: Array<Stats | undefined> = [];
      const siteStats: Array<Stats | undefined> = [];
      const diag: tf.Scalar[] = [];
      const readerNormAt: TrainNorm = (z, layer, i) => (readerBackward ? withBackward : readerForward)(z, layer, i, mineStats, diag);
      pass = 'forward';
      const lossOf = (net: Net, norm: TrainNorm) => () => tf.losses.softmaxCrossEntropy(y, forward(net, x, norm)) as tf.Scalar;
      let mineLoss: tf.Scalar | null;
      try {
        mineLoss = optimizers[0].minimize(() => {
          const loss = lossOf(mine, readerNormAt)();
          pass = 'backward';
          return loss;
        }, true, mine.trainable);
      } catch (err) {
        tf.dispose([x, y, ...diag, ...mineStats.flatMap((s) => (s ? [s.mean, s.variance] : []))]);
        throw err;
      }
      const siteLoss = optimizers[1].minimize(lossOf(site, siteNorm(siteStats)), true, site.trainable);
      commit(mine, mineStats);
      commit(site, siteStats);
      const [lm, ls] = [(await mineLoss!.data())[0]!, (await siteLoss!.data())[0]!];
      const stacked = diag.length ? tf.stack(diag) : null;
      const d = stacked ? await stacked.data() : new Float32Array();
      tf.dispose([x, y, mineLoss!, siteLoss!, ...diag, ...(stacked ? [stacked] : [])]);
      const record: StepRecord = {
        step,
        loss: { mine: lm, site: ls },
        layers: CNN_CHANNELS.map((_, i) => ({ maxDiff: d[2 * i] ?? Number.NaN, outputVariance: d[2 * i + 1] ?? Number.NaN })),
      };
      result.steps.push(record);
      hooks.onStep?.(record);
      if (!Number.isFinite(lm)) break;
      if ((step + 1) % evalEvery === 0 || step + 1 === steps) {
        step += 1;
        await evaluate();
        step -= 1;
      }
    }
  } finally {
    disposeNet(mine);
    disposeNet(site);
    optimizers.forEach((o) => o.dispose());
    tf.dispose([test.x, test.labels]);
  }
  result.examplesPerSecond = (result.steps.length * batchSize * 2) / ((performance.now() - started) / 1000);
  return result;
}
