/**
 * The chapter "BN in practice": the computations its network widgets run in the chapter worker,
 * on the lab's BN CNN (the chapter's 200-step run from adaptation.ts, or the reader's saved lab
 * network). Each returns data only; the page writes the sentences.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Mnist, MnistSplit } from '../../data/mnist';
import { applyShift, type ShiftKind } from '../../data/shifts';
import { seededRng } from '../../data/random';
import { accuracyWith } from './adaptation';
import { BatchStream, gather, range } from '../core/batches';
import { buildModel, type BatchStat, type Model } from '../core/model';
import type { AccumulationPoint, AffineDecayPoint, AffineDecayResult, FinetunePoint, HeadBiasGradients, PracticeResult, PracticeTask, SortedResult, TentResult } from './practice-protocol';
import { AFFINE_DECAY_RUN, ACCUMULATION_RUN, FINETUNE_MODES, FINETUNE_RUN, SORTED_RUN, TENT_RUN, type FinetuneSettings, type TentSettings } from './practice-runs';
import { loadModelWeights, modelWeights } from '../core/weights';

const freeStats = (stats: BatchStat[]): void => tf.dispose(stats.flatMap((s) => [s.mean, s.varianceBiased, s.varianceUnbiased]));
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

function examples(split: MnistSplit, start: number, count: number): { x: tf.Tensor2D; labels: tf.Tensor1D } {
  const { x, y } = gather(split, range(start, start + count));
  const labels = tf.argMax(y, 1) as tf.Tensor1D;
  y.dispose();
  return { x, labels };
}

/* ---------------------------------------------------------------- accumulation */

/** Gradient of the mean cross-entropy over (x, y), flattened over `vars` in order. */
function flatGradient(model: Model, x: tf.Tensor2D, y: tf.Tensor2D, vars: tf.Variable[], stats: BatchStat[]): tf.Tensor1D {
  const { value, grads } = tf.variableGrads(() => {
    stats.length = 0;
    return tf.losses.softmaxCrossEntropy(y, model.forwardTrain(x, stats)) as tf.Scalar;
  }, vars);
  const flat = tf.concat(vars.map((v) => tf.reshape(grads[v.name]!, [-1]))) as tf.Tensor1D;
  tf.dispose([value, ...Object.values(grads)]);
  return flat;
}

/**
 * One batch of ACCUMULATION_RUN.batchSize training digits, its gradient computed in one pass and
 * accumulated over k = batch/b micro-batches (the mean of their gradients, as a loss divided by k
 * and summed gives), for the BN CNN and its plain twin at their shared initial weights.
 */
export function accumulationGaps(data: Mnist): { points: AccumulationPoint[]; headBias: HeadBiasGradients[] } {
  const run = ACCUMULATION_RUN;
  const spec = { preset: 'cnn', placement: 'before', groups: 1, convention: 'pytorch' } as const;
  const bn = buildModel({ ...spec, norm: 'bn' }, run.seed);
  const plain = buildModel({ ...spec, norm: null }, run.seed);
  const { x, y } = new BatchStream(data.train, run.batchSize, run.seed).next();
  try {
    const headBias: HeadBiasGradients[] = [];
    const points = run.microBatches.map((b) => {
      const k = run.batchSize / b;
      // The head's bias is the last trainable variable: its 10 gradients end every flat vector.
      const headBiasOf = (g: tf.Tensor1D): number[] => Array.from(tf.slice(g, [g.shape[0] - 10], [10]).dataSync());
      const gap = (model: Model): { gap: number; varianceRatio: number; whole: number[]; micro: number[][] } => {
        // The fused BN op hands its statistics back kept (they outlive tidy): freed below.
        const kept: BatchStat[] = [];
        try {
          return tf.tidy(() => {
            const stats: BatchStat[] = [];
            const whole = flatGradient(model, x, y, model.trainable, stats);
            kept.push(...stats);
            const wholeVariance = stats[0]?.varianceBiased;
            const parts: tf.Tensor1D[] = [];
            const microVariances: tf.Tensor[] = [];
            for (let m = 0; m < k; m++) {
              const microStats: BatchStat[] = [];
              parts.push(flatGradient(model, tf.slice(x, [m * b, 0], [b, -1]), tf.slice(y, [m * b, 0], [b, -1]), model.trainable, microStats));
              kept.push(...microStats);
              if (microStats[0]) microVariances.push(microStats[0].varianceBiased);
            }
            const accumulated = tf.div(tf.addN(parts), k);
            const gap = tf.div(tf.norm(tf.sub(accumulated, whole)), tf.norm(whole)).dataSync()[0]!;
            const varianceRatio = wholeVariance ? tf.mean(tf.div(tf.mean(tf.stack(microVariances), 0), wholeVariance)).dataSync()[0]! : 1;
            return { gap, varianceRatio, whole: headBiasOf(whole), micro: parts.map(headBiasOf) };
          });
        } finally {
          freeStats(kept);
        }
      };
      const withBn = gap(bn);
      const without = gap(plain);
      headBias.push({ microBatch: b, bn: { whole: withBn.whole, micro: withBn.micro }, plain: { whole: without.whole, micro: without.micro } });
      return { microBatch: b, bnGap: withBn.gap, plainGap: without.gap, varianceRatio: withBn.varianceRatio };
    });
    return { points, headBias };
  } finally {
    tf.dispose([x, y]);
    bn.dispose();
    plain.dispose();
  }
}

/* ---------------------------------------------------------------- fine-tuning */

/** A copy of `source` (weights and running averages) that can be trained without touching it. */
export function copyModel(source: Model): Model {
  const copy = buildModel(source.spec, 0);
  loadModelWeights(copy, Object.fromEntries(modelWeights(source).map((w) => [w.name, w.tensor])));
  return copy;
}

/**
 * Fine-tunes copies of `source` on FINETUNE_RUN.examples shifted training digits with batches of
 * `batchSize`, plain SGD, three ways: BN in training mode (batch statistics, running averages
 * updated); BN frozen as FrozenBatchNorm2d freezes it (stored statistics, γ and β fixed); stored
 * statistics with γ and β trained. Every network is tested in inference mode.
 */
export async function fineTune(data: Mnist, source: Model, batchSize: number, onStep: (done: number, total: number) => void, settings: Partial<FinetuneSettings> = {}): Promise<FinetunePoint[]> {
  const run = { ...FINETUNE_RUN, ...settings };
  const shift = (x: tf.Tensor2D): tf.Tensor2D => applyShift(x, run.shift, run.strength, run.seed);
  const oldTest = examples(data.test, 0, run.testExamples);
  const newX = shift(oldTest.x);
  const raw = gather(data.train, range(data.train.count - run.examples, data.train.count));
  const tuneX = shift(raw.x);
  const tuneY = raw.y;
  raw.x.dispose();
  const points: FinetunePoint[] = [];
  const total = FINETUNE_MODES.length * run.steps;
  try {
    for (const [modeIndex, [mode]] of FINETUNE_MODES.entries()) {
      const model = copyModel(source);
      const norms = new Set(model.layers.flatMap((l) => (l.norm ? [l.norm.gamma, l.norm.beta] : [])));
      const vars = mode === 'frozen' ? model.trainable.filter((v) => !norms.has(v)) : model.trainable;
      const optimizer = tf.train.sgd(run.learningRate);
      const rng = seededRng(run.seed);
      const record = async (step: number): Promise<void> => {
        points.push({ mode, step, old: await accuracyWith(model, oldTest.x, oldTest.labels), new: await accuracyWith(model, newX, oldTest.labels) });
      };
      try {
        await record(0);
        for (let step = 1; step <= run.steps; step++) {
          const picks = Int32Array.from({ length: batchSize }, () => Math.floor(rng() * run.examples));
          const stats: BatchStat[] = [];
          tf.tidy(() => {
            const idx = tf.tensor1d(picks, 'int32');
            const x = tf.gather(tuneX, idx);
            const y = tf.gather(tuneY, idx);
            const cost = optimizer.minimize(
              () => {
                freeStats(stats.splice(0));
                const logits = mode === 'train' ? model.forwardTrain(x, stats) : model.forwardInfer(x);
                return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
              },
              false,
              vars,
            );
            cost?.dispose();
          });
          if (mode === 'train') model.commitRunningStats(stats);
          else freeStats(stats);
          if (step % run.checkEvery === 0) await record(step);
          onStep(modeIndex * run.steps + step, total);
          await yieldToMessages();
        }
      } finally {
        optimizer.dispose();
        model.dispose();
      }
    }
  } finally {
    tf.dispose([oldTest.x, oldTest.labels, newX, tuneX, tuneY]);
  }
  return points;
}

/* ---------------------------------------------------------------- sorted batches */

/** Accuracy with BN in training mode, the batches taken in `order` (`batchSize` at a time). */
async function trainingModeAccuracy(model: Model, x: tf.Tensor2D, labels: tf.Tensor1D, order: Int32Array, batchSize: number): Promise<number> {
  const correct = tf.tidy(() => {
    const counts: tf.Tensor[] = [];
    for (let start = 0; start < order.length; start += batchSize) {
      const idx = tf.tensor1d(order.subarray(start, Math.min(order.length, start + batchSize)), 'int32');
      const stats: BatchStat[] = [];
      const logits = model.forwardTrain(tf.gather(x, idx), stats);
      freeStats(stats);
      counts.push(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.gather(labels, idx)), 'int32')));
    }
    return tf.addN(counts);
  });
  const value = (await correct.data())[0]!;
  correct.dispose();
  return value / order.length;
}

export async function sortedBatches(data: Mnist, model: Model, batchSize: number): Promise<SortedResult> {
  const test = examples(data.test, 0, SORTED_RUN.testExamples);
  try {
    const labels = Array.from(data.test.labels.subarray(0, SORTED_RUN.testExamples));
    const rng = seededRng(SORTED_RUN.seed);
    const shuffled = Int32Array.from(range(0, labels.length));
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    // A stable sort of the shuffled order by label: batches of one class (a class's last batch
    // may run into the next class).
    const sorted = Int32Array.from(Array.from(shuffled).sort((a, b) => labels[a]! - labels[b]!));
    return {
      inference: await accuracyWith(model, test.x, test.labels),
      shuffled: await trainingModeAccuracy(model, test.x, test.labels, shuffled, batchSize),
      sorted: await trainingModeAccuracy(model, test.x, test.labels, sorted, batchSize),
    };
  } finally {
    tf.dispose([test.x, test.labels]);
  }
}

/* ---------------------------------------------------------------- prediction-time BN and TENT */

/** Mean entropy of the softmax over a training-mode pass of `x`. */
function meanEntropy(model: Model, x: tf.Tensor2D, stats: BatchStat[]): tf.Scalar {
  const logits = model.forwardTrain(x, stats);
  const logp = tf.logSoftmax(logits);
  return tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), logp), 1))) as tf.Scalar;
}

/** Prediction-time BN accuracy and mean entropy over `x`, TENT_RUN.batchSize digits at a time. */
async function predictionTime(model: Model, x: tf.Tensor2D, labels: tf.Tensor1D): Promise<{ accuracy: number; entropy: number }> {
  const n = x.shape[0];
  const order = Int32Array.from(range(0, n));
  const accuracy = await trainingModeAccuracy(model, x, labels, order, TENT_RUN.batchSize);
  const entropy = tf.tidy(() => {
    const parts: tf.Scalar[] = [];
    for (let start = 0; start < n; start += TENT_RUN.batchSize) {
      const stats: BatchStat[] = [];
      parts.push(meanEntropy(model, tf.slice(x, [start, 0], [Math.min(TENT_RUN.batchSize, n - start), -1]), stats));
      freeStats(stats);
    }
    return tf.mean(tf.stack(parts));
  });
  const value = (await entropy.data())[0]!;
  entropy.dispose();
  return { accuracy, entropy: value };
}

/**
 * Wang et al.'s TENT, one step: on the first test batch, the gradient of the mean prediction
 * entropy (BN in training mode) with respect to every BN layer's γ and β only, and one step of
 * gradient descent on them. The source network is left as it was.
 */
export async function tentStep(data: Mnist, source: Model, kind: ShiftKind, strength: number, settings: Partial<TentSettings> = {}): Promise<TentResult> {
  const run = { ...TENT_RUN, ...settings };
  const test = examples(data.test, 0, run.testExamples);
  const shifted = applyShift(test.x, kind, strength, run.seed);
  const model = copyModel(source);
  try {
    const before = await predictionTime(model, shifted, test.labels);
    const stored = await accuracyWith(model, shifted, test.labels);
    const affine = model.layers.flatMap((l) => (l.norm ? [l.norm.gamma, l.norm.beta] : []));
    tf.tidy(() => {
      const first = tf.slice(shifted, [0, 0], [run.batchSize, -1]);
      const stats: BatchStat[] = [];
      const { value, grads } = tf.variableGrads(() => meanEntropy(model, first, stats), affine);
      for (const v of affine) v.assign(tf.sub(v, tf.mul(grads[v.name]!, run.learningRate)));
      tf.dispose([value, ...Object.values(grads)]);
      freeStats(stats);
    });
    const after = await predictionTime(model, shifted, test.labels);
    return { stored, predictionTime: before.accuracy, afterStep: after.accuracy, entropyBefore: before.entropy, entropyAfter: after.entropy };
  } finally {
    model.dispose();
    tf.dispose([test.x, test.labels, shifted]);
  }
}

/* ---------------------------------------------------------------- weight decay on γ and β */

/**
 * The BN MLP trained twice from the same weights on the same batches with SGD and L2 decay λ on
 * every weight matrix; in one run λ·γ and λ·β are added to their gradients too.
 */
export async function affineDecay(data: Mnist, weightDecay: number, onStep: (done: number, total: number) => void): Promise<AffineDecayResult> {
  const run = AFFINE_DECAY_RUN;
  const test = examples(data.test, 0, run.testExamples);
  const points: AffineDecayPoint[] = [];
  const accuracy: number[] = [];
  try {
    for (const [index, affineDecayed] of [true, false].entries()) {
      const model = buildModel({ preset: 'mlp', norm: 'bn', placement: 'before', groups: 1, convention: 'pytorch' }, run.seed);
      const batches = new BatchStream(data.train, run.batchSize, run.seed);
      const affine = new Set(model.layers.flatMap((l) => [l.norm!.gamma, l.norm!.beta]));
      const decayed = new Set([...model.layers.map((l) => l.weight), model.head.weight, ...(affineDecayed ? affine : [])]);
      const gammas = model.layers.map((l) => l.norm!.gamma);
      try {
        for (let step = 1; step <= run.steps; step++) {
          const { x, y } = batches.next();
          const stats: BatchStat[] = [];
          const { value, grads } = tf.variableGrads(() => {
            freeStats(stats.splice(0));
            return tf.losses.softmaxCrossEntropy(y, model.forwardTrain(x, stats)) as tf.Scalar;
          }, model.trainable);
          tf.tidy(() => {
            for (const v of model.trainable) {
              const g = decayed.has(v) ? tf.add(grads[v.name]!, tf.mul(v, weightDecay)) : grads[v.name]!;
              v.assign(tf.sub(v, tf.mul(g, run.learningRate)));
            }
          });
          model.commitRunningStats(stats);
          tf.dispose([value, x, y, ...Object.values(grads)]);
          if (step % run.recordEvery === 0 || step === 1) {
            const mean = tf.tidy(() => tf.mean(tf.concat(gammas)));
            points.push({ step, affineDecayed, gamma: (await mean.data())[0]! });
            mean.dispose();
          }
          onStep(index * run.steps + step, 2 * run.steps);
          await yieldToMessages();
        }
        accuracy.push(await accuracyWith(model, test.x, test.labels));
      } finally {
        model.dispose();
      }
    }
  } finally {
    tf.dispose([test.x, test.labels]);
  }
  return { points, accuracyDecayed: accuracy[0]!, accuracySpared: accuracy[1]! };
}

/* ---------------------------------------------------------------- the worker's entry */

/**
 * Runs one of the chapter's tasks. `network` is the BN CNN the chapter worker holds (trained or
 * loaded); every task but `accumulate` needs it.
 */
export async function runPractice(task: PracticeTask, data: Mnist, network: Model | undefined, onStep: (done: number, total: number) => void): Promise<PracticeResult> {
  if (task.task === 'accumulate') return { task: 'accumulate', ...accumulationGaps(data) };
  if (task.task === 'affine-decay') return { task: 'affine-decay', weightDecay: task.weightDecay, ...(await affineDecay(data, task.weightDecay, onStep)) };
  if (!network) throw new Error('the network is not trained yet');
  switch (task.task) {
    case 'finetune':
      return { task: 'finetune', batchSize: task.batchSize, points: await fineTune(data, network, task.batchSize, onStep) };
    case 'sorted':
      return { task: 'sorted', batchSize: task.batchSize, ...(await sortedBatches(data, network, task.batchSize)) };
    case 'tent':
      return { task: 'tent', kind: task.kind, strength: task.strength, ...(await tentStep(data, network, task.kind, task.strength)) };
  }
}
