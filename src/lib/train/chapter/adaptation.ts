/**
 * The chapter "BN in modern networks", section 4: a BN CNN (the lab's model and batches) trained
 * briefly with Adam, then (a) evaluated on shifted test digits with its stored running averages
 * and with statistics re-estimated on the shifted digits (AdaBN), and (b) while it trains, with
 * Keras's slow running averages against "precise BN" statistics recomputed on training images.
 */
import * as tf from '@tensorflow/tfjs-core';
import { updateRunningStats, type RunningStats } from '../../bn';
import type { Mnist, MnistSplit } from '../../data/mnist';
import { applyShift, type ShiftKind } from '../../data/shifts';
import { BatchStream, gather, range } from '../core/batches';
import { ADAPTATION_RUN, PREVIEW_DIGITS } from './runs';
import { buildModel, type BatchStat, type Model } from '../core/model';
import type { ModelArtifactsJson } from '../core/weights';
import { loadModelArtifacts } from '../core/weights';

export { ADAPTATION_RUN };

/** Accuracy with each set of statistics, at one step of training. */
export interface PreciseCheckpoint {
  step: number;
  /** The running averages PyTorch's rule keeps (m = 0.1): what the model stores. */
  pytorch: number;
  /** The running averages Keras's rule keeps (m = 0.99) for the same weights. */
  keras: number;
  /** Population statistics recomputed on training digits with the weights of this step. */
  precise: number;
}

export interface ChannelStats {
  mean: number[];
  variance: number[];
}

export interface ShiftResult {
  stored: number;
  reestimated: number;
  /** The first BN layer's per-channel statistics: stored, and re-estimated on the shifted digits. */
  before: ChannelStats;
  after: ChannelStats;
  /** The first PREVIEW_DIGITS shifted digits' pixels, one 28×28 image after another. */
  preview: number[];
}


const CHUNK = 500;

/** Running statistics of every BN layer from one training-mode pass over `x` (weights untouched). */
export function populationStats(model: Model, x: tf.Tensor2D): RunningStats[] {
  const stats: BatchStat[] = [];
  tf.tidy(() => void model.forwardTrain(x, stats));
  return stats.map((s) => {
    tf.dispose([s.varianceUnbiased]);
    return { mean: s.mean, variance: s.varianceBiased, batches: 1 };
  });
}

/** Inference-mode accuracy on (x, labels) with `stats` standing in for the stored running averages. */
export async function accuracyWith(model: Model, x: tf.Tensor2D, labels: tf.Tensor1D, stats?: RunningStats[]): Promise<number> {
  const norms = model.layers.map((l) => l.norm!);
  const stored = norms.map((n) => n.running);
  if (stats) norms.forEach((n, i) => (n.running = stats[i]!));
  try {
    const n = x.shape[0];
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      const size = Math.min(CHUNK, n - start);
      parts.push(tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(model.forwardInfer(tf.slice(x, [start, 0], [size, -1])), 1), tf.slice(labels, [start], [size])), 'int32'))));
    }
    const total = tf.addN(parts);
    const correct = (await total.data())[0]!;
    tf.dispose([...parts, total]);
    return correct / n;
  } finally {
    norms.forEach((n, i) => (n.running = stored[i]!));
  }
}

async function readAndDispose(t: tf.Tensor): Promise<number[]> {
  const values = Array.from(await t.data());
  t.dispose();
  return values;
}

const disposeStats = (stats: RunningStats[]): void => tf.dispose(stats.flatMap((s) => [s.mean, s.variance]));

async function channelStats(s: RunningStats): Promise<ChannelStats> {
  return { mean: Array.from(await s.mean.data()), variance: Array.from(await s.variance.data()) };
}

function examples(split: MnistSplit, start: number, count: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const { x, y } = gather(split, range(start, start + count));
  const labels = tf.argMax(y, 1) as tf.Tensor1D;
  y.dispose();
  return { x, labels };
}

/** The trained network and the digits it is evaluated on; `dispose` frees all of it. */
export interface AdaptationModel {
  model: Model;
  test: { x: tf.Tensor2D; labels: tf.Tensor1D };
  dispose(): void;
}

/**
 * Trains the BN CNN for ADAPTATION_RUN.steps steps. Beside the model's own running averages
 * (PyTorch's rule) it keeps Keras's for the same batches, and every `checkEvery` steps reports
 * test accuracy with both and with precise statistics.
 */
export async function trainForAdaptation(data: Mnist, onStep: (step: number) => void, onCheckpoint: (c: PreciseCheckpoint) => void): Promise<AdaptationModel> {
  const run = ADAPTATION_RUN;
  const model = buildModel({ preset: 'cnn', norm: 'bn', placement: 'before', groups: 1, convention: 'pytorch' }, run.seed);
  const optimizer = tf.train.adam(run.learningRate);
  const batches = new BatchStream(data.train, run.batchSize, run.seed);
  const test = examples(data.test, 0, run.testExamples);
  // Training digits from the end of the split; the 200 batches of 32 rarely reach them.
  const precise = examples(data.train, data.train.count - run.preciseExamples, run.preciseExamples);
  let keras: RunningStats[] = model.layers.map((l) => ({ mean: tf.zerosLike(l.norm!.running.mean), variance: tf.onesLike(l.norm!.running.variance), batches: 0 }));

  const checkpoint = async (step: number): Promise<void> => {
    const population = populationStats(model, precise.x);
    onCheckpoint({
      step,
      pytorch: await accuracyWith(model, test.x, test.labels),
      keras: await accuracyWith(model, test.x, test.labels, keras),
      precise: await accuracyWith(model, test.x, test.labels, population),
    });
    disposeStats(population);
  };

  try {
    for (let step = 1; step <= run.steps; step++) {
      const { x, y } = batches.next();
      const stats: BatchStat[] = [];
      const cost = optimizer.minimize(
        () => {
          stats.length = 0;
          return tf.losses.softmaxCrossEntropy(y, model.forwardTrain(x, stats)) as tf.Scalar;
        },
        false,
        model.trainable,
      );
      cost?.dispose();
      const next = stats.map((s, i) => updateRunningStats(keras[i]!, s, { convention: 'keras' }));
      disposeStats(keras);
      keras = next;
      model.commitRunningStats(stats);
      tf.dispose([x, y]);
      onStep(step);
      if (step % run.checkEvery === 0) await checkpoint(step);
      // Lets the worker take messages between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } catch (err) {
    model.dispose();
    tf.dispose([test.x, test.labels]);
    throw err;
  } finally {
    optimizer.dispose();
    disposeStats(keras);
    tf.dispose([precise.x, precise.labels]);
  }
  return adaptationModel(model, test);
}

const adaptationModel = (model: Model, test: AdaptationModel['test']): AdaptationModel => ({
  model,
  test,
  dispose() {
    model.dispose();
    tf.dispose([test.x, test.labels]);
  },
});

/**
 * A BN CNN the reader trained in the lab (a saved run's normalized twin) instead of the chapter's
 * own run: the same architecture, built with the run's placement and convention, its weights and
 * running averages loaded. There are no checkpoints: precise BN needs the training itself.
 */
export function loadForAdaptation(data: Mnist, network: ModelArtifactsJson): AdaptationModel {
  const { config } = network;
  if (config.preset !== 'cnn' || config.norm !== 'bn') throw new Error(`the saved network is a ${config.preset.toUpperCase()} with ${config.norm}; this widget needs the lab's CNN with batch norm`);
  const model = buildModel({ preset: 'cnn', norm: 'bn', placement: config.placement, groups: config.groups, convention: config.convention }, config.seed);
  try {
    loadModelArtifacts(model, network);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return adaptationModel(model, examples(data.test, 0, ADAPTATION_RUN.testExamples));
}

/** AdaBN: accuracy on shifted test digits with the stored statistics and with re-estimated ones. */
export async function evaluateShift(trained: AdaptationModel, kind: ShiftKind, strength: number, seed: number): Promise<ShiftResult> {
  const { model, test } = trained;
  const shifted = applyShift(test.x, kind, strength, seed);
  const reestimated = populationStats(model, shifted);
  try {
    return {
      stored: await accuracyWith(model, shifted, test.labels),
      reestimated: await accuracyWith(model, shifted, test.labels, reestimated),
      before: await channelStats(model.layers[0]!.norm!.running),
      after: await channelStats(reestimated[0]!),
      preview: await readAndDispose(tf.slice(shifted, [0, 0], [PREVIEW_DIGITS, -1])),
    };
  } finally {
    disposeStats(reestimated);
    shifted.dispose();
  }
}
