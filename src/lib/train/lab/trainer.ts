import * as tf from '@tensorflow/tfjs-core';
import type { Mnist } from '../../data/mnist';
import { seededRng, type Rng } from '../../data/random';
import { labAdam } from '../../kernels';
import { BatchStream, gather, range } from '../core/batches';
import type { RunConfig } from '../config';
import { buildModel, type BatchStat, type ForwardTaps, type Model, type NoiseSample } from '../core/model';

import { contextTensor, galleryTensor, joinDigitParts, predictClasses, readDigitPart, type DigitPart } from './inspect';
import type { LabTrainer } from './lab-trainer';
import type { DigitPredictions, EvalResult, FeatureMaps, PerRun, ResumeState, RunMetrics, RunName, RunStatus, Variant } from './protocol';
import { loadModelArtifacts, modelWeights, type ModelArtifactsJson } from '../core/weights';

/**
 * The watch batch: test images the instrumentation pushes through each network at every metrics
 * read (the percentile bands). Its cost is one forward pass of WATCH_SIZE per metricsEvery
 * training steps (each ≈ 3 forward passes of a
 * batch): 64 images keep it under 10% of training at batch 32 (npm run bench:
 * instrumentation_overhead), and 64 values still place a 15/50/85 percentile band to within
 * about 0.2 standard deviations.
 */
const WATCH_SIZE = 64;
const EVAL_CHUNK = 500;

interface Run {
  name: RunName;
  model: Model;
  optimizer: tf.Optimizer;
  status: RunStatus;
  lastCost: tf.Scalar | null;
}

function makeOptimizer(config: RunConfig): tf.Optimizer {
  switch (config.optimizer) {
    case 'sgd':
      return tf.train.sgd(config.learningRate);
    case 'momentum':
      return tf.train.momentum(config.learningRate, 0.9);
    case 'adam':
      // On WASM one kernel for all variables (src/lib/kernels), the same numbers as tf.train.adam there.
      return labAdam(config.learningRate);
  }
}

const percentile = (sorted: Float32Array, p: number): number => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/**
 * Two copies of one network trained in lockstep on the same batches: one with the configured
 * normalization, one without. Steps never read from the device; `readMetrics` and `evaluate`
 * read asynchronously, every few steps, so a GPU backend can queue work.
 */
export class TwinTrainer implements LabTrainer {
  readonly config: RunConfig;
  readonly runs: Run[];
  step = 0;
  readonly #data: Mnist;
  readonly #batches: BatchStream;
  readonly #watchBatch: tf.Tensor2D;
  readonly #noiseRng: Rng;
  /** The digit tools' fixed test digits: the gallery, and the batch a drawn digit joins. */
  readonly #gallery: tf.Tensor2D;
  readonly #context: tf.Tensor2D;

  constructor(config: RunConfig, data: Mnist, variants: Variant[] = [{ name: 'norm', norm: config.norm }, { name: 'plain', norm: null }]) {
    this.config = config;
    this.#data = data;
    this.#batches = new BatchStream(data.train, config.batchSize, config.seed);
    this.#noiseRng = seededRng(config.seed + 17);
    const spec = { preset: config.preset, placement: config.placement, groups: config.groups, convention: config.convention };
    this.runs = variants.map(({ name, norm }) => ({
      name,
      model: buildModel({ ...spec, norm }, config.seed),
      optimizer: makeOptimizer(config),
      status: 'training' as RunStatus,
      lastCost: null,
    }));
    const watch = gather(data.test, range(0, WATCH_SIZE));
    this.#watchBatch = watch.x;
    watch.y.dispose();
    this.#gallery = galleryTensor(data.test);
    this.#context = contextTensor(data.test);
  }

  /**
   * Continues a saved run: both networks' weights and running averages, and the step they reached
   * (the batch order goes on from there). The optimizers start afresh: their moments are not saved.
   */
  async restore(state: ResumeState): Promise<void> {
    for (const run of this.runs) {
      const saved = state.models[run.name];
      if (!saved) throw new Error(`the saved run has no ${run.name === 'plain' ? 'plain' : 'normalized'} network`);
      loadModelArtifacts(run.model, saved);
    }
    this.step = state.step;
    this.#batches.skip(state.step);
    if (this.step >= this.config.steps) for (const r of this.runs) r.status = 'finished';
  }

  /** Both twins' weights and running averages, encoded for tfjs IO (export, saved runs). */
  async exportNetworks(only?: RunName): Promise<PerRun<ModelArtifactsJson>> {
    const out: PerRun<ModelArtifactsJson> = {};
    for (const run of this.runs) {
      if (only && run.name !== only) continue;
      const { data: weightData, specs } = await tf.io.encodeWeights(modelWeights(run.model));
      out[run.name] = { config: this.config, weightSpecs: specs as ModelArtifactsJson['weightSpecs'], weightData: weightData as ArrayBuffer };
    }
    return out;
  }

  /** Each twin's inference-mode class for every gallery digit. */
  async galleryPredictions(): Promise<PerRun<number[]>> {
    const out: PerRun<number[]> = {};
    for (const run of this.runs) if (run.status !== 'diverged') out[run.name] = await predictClasses(run.model, this.#gallery);
    return out;
  }

  /** A drawn digit read four ways, and one layer's feature maps in both twins. */
  async inspectDigit(pixels: Float32Array, layer: number): Promise<{ predictions: DigitPredictions; maps: FeatureMaps }> {
    return joinDigitParts([await this.inspectPart(pixels, layer)], layer);
  }

  /** The readings of a drawn digit that this trainer's twins can give (a twin in another worker gives the rest). */
  inspectPart(pixels: Float32Array, layer: number): Promise<DigitPart> {
    const model = (name: RunName) => this.runs.find((r) => r.name === name)?.model;
    return readDigitPart({ norm: model('norm'), plain: model('plain') }, pixels, layer, this.#context);
  }

  get runNames(): RunName[] {
    return this.runs.map((r) => r.name);
  }

  get done(): boolean {
    return this.step >= this.config.steps || this.runs.every((r) => r.status !== 'training');
  }

  /** One optimizer step for each twin still training, on the same batch. No readback. */
  trainStep(): void {
    const { x, y } = this.#batches.next();
    const noise = this.runs.some((r) => r.model.spec.norm === 'noisy-bn') ? this.#drawNoise() : undefined;
    for (const run of this.runs) {
      if (run.status !== 'training') continue;
      const stats: BatchStat[] = [];
      const cost = run.optimizer.minimize(
        () => {
          stats.length = 0;
          const logits = run.model.forwardTrain(x, stats, undefined, run.model.spec.norm === 'noisy-bn' ? noise : undefined);
          return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
        },
        true,
        run.model.trainable,
      );
      run.lastCost?.dispose();
      run.lastCost = cost;
      run.model.commitRunningStats(stats);
    }
    tf.dispose([x, y, ...(noise ?? []).flatMap((n) => [n.scale, n.shift])]);
    this.step += 1;
    if (this.step >= this.config.steps) for (const r of this.runs) if (r.status === 'training') r.status = 'finished';
  }

  /** Reads the latest loss (and, if enabled, the instrumentation) without blocking the device queue. */
  async readMetrics(): Promise<PerRun<RunMetrics>> {
    const out: PerRun<RunMetrics> = {};
    for (const run of this.runs) {
      const loss = run.lastCost ? (await run.lastCost.data())[0]! : Number.NaN;
      if (run.lastCost && !Number.isFinite(loss) && run.status === 'training') run.status = 'diverged';
      const metrics: RunMetrics = { step: this.step, loss, status: run.status };
      if (this.config.instrument && run.status !== 'diverged') Object.assign(metrics, await this.#instrument(run));
      out[run.name] = metrics;
    }
    return out;
  }

  async #instrument(run: Run): Promise<Pick<RunMetrics, 'percentiles' | 'running'>> {
    const taps: ForwardTaps = { preActivations: [] };
    const stats: BatchStat[] = [];
    tf.tidy(() => {
      run.model.forwardTrain(this.#watchBatch, stats, taps);
      for (const t of taps.preActivations) tf.keep(t);
    });
    const values = await Promise.all(taps.preActivations.map((t) => t.data()));
    tf.dispose([...taps.preActivations, ...stats.flatMap((s) => [s.mean, s.varianceBiased, s.varianceUnbiased])]);
    const percentiles = values.map((v) => {
      const sorted = Float32Array.from(v as Float32Array).sort();
      return { p15: percentile(sorted, 15), p50: percentile(sorted, 50), p85: percentile(sorted, 85) };
    });
    const norms = run.model.layers.flatMap((l) => (l.norm && run.model.spec.norm && run.model.spec.norm !== 'gn' ? [l.norm.running] : []));
    const running = await Promise.all(
      norms.map(async (r) => ({ mean: (await r.mean.data())[0]!, variance: (await r.variance.data())[0]! })),
    );
    return { percentiles, running: running.length ? running : undefined };
  }

  /**
   * Test accuracy of each twin in inference mode and in training mode. `onProgress` hears after
   * each chunk how many of the examples × runs are done (the full test set takes minutes on cpu).
   */
  async evaluate(examples: number = this.config.evalExamples, onProgress?: (done: number, total: number) => void, { trainMode = true, confusion = false } = {}): Promise<PerRun<EvalResult>> {
    const n = Math.min(examples, this.#data.test.count);
    const out: PerRun<EvalResult> = {};
    let done = 0;
    for (const run of this.runs) {
      let inferCorrect = 0;
      let trainCorrect = 0;
      const matrix = confusion ? new Array<number>(100).fill(0) : undefined;
      for (let start = 0; start < n; start += EVAL_CHUNK) {
        const { x, y } = gather(this.#data.test, range(start, Math.min(n, start + EVAL_CHUNK)));
        const labels = tf.argMax(y, 1);
        // Entry [true·10 + predicted] of the chunk's confusion matrix: one-hot labels ᵀ × one-hot predictions.
        let chunkMatrix: tf.Tensor | undefined;
        const counts = tf.tidy(() => {
          const predicted = tf.argMax(run.model.forwardInfer(x), 1);
          if (matrix) chunkMatrix = tf.keep(tf.matMul(y, tf.cast(tf.oneHot(predicted, 10), 'float32'), true, false));
          const infer = tf.sum(tf.cast(tf.equal(predicted, labels), 'int32'));
          // Training mode normalizes each batch of the training size by its own statistics.
          const parts: tf.Tensor[] = [tf.scalar(0, 'int32')];
          for (let b = 0; trainMode && b < x.shape[0]; b += this.config.batchSize) {
            const size = Math.min(this.config.batchSize, x.shape[0] - b);
            if (size < 2) break;
            const xb = tf.slice(x, [b, 0], [size, -1]);
            const stats: BatchStat[] = [];
            const logits = run.model.forwardTrain(xb, stats);
            tf.dispose(stats.flatMap((s) => [s.mean, s.varianceBiased, s.varianceUnbiased]));
            parts.push(tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), tf.slice(labels, [b], [size])), 'int32')));
          }
          return tf.stack([infer, tf.addN(parts)]);
        });
        const [i, t] = await counts.data();
        inferCorrect += i!;
        trainCorrect += t!;
        if (matrix && chunkMatrix) (await chunkMatrix.data()).forEach((v, k) => (matrix[k]! += Math.round(v)));
        tf.dispose([x, y, labels, counts, ...(chunkMatrix ? [chunkMatrix] : [])]);
        done += x.shape[0];
        onProgress?.(done, n * this.runs.length);
      }
      out[run.name] = { step: this.step, inferAccuracy: inferCorrect / n, ...(trainMode ? { trainModeAccuracy: trainCorrect / n } : {}), ...(matrix ? { confusion: matrix } : {}), examples: n };
    }
    return out;
  }

  /** Noisy BN (Santurkar et al.): per-channel scale and shift with non-zero mean, redrawn each step. */
  #drawNoise(): NoiseSample[] {
    return this.runs[0]!.model.layers.map((l) => {
      const c = l.bias.shape[0]!;
      const rng = this.#noiseRng;
      const scale = Float32Array.from({ length: c }, () => 1 + 2 * rng());
      const shift = Float32Array.from({ length: c }, () => 1 + 2 * (rng() - 0.5));
      return { scale: tf.tensor1d(scale), shift: tf.tensor1d(shift) };
    });
  }

  dispose(): void {
    for (const run of this.runs) {
      run.lastCost?.dispose();
      run.model.dispose();
      run.optimizer.dispose();
    }
    tf.dispose([this.#watchBatch, this.#gallery, this.#context]);
  }
}
