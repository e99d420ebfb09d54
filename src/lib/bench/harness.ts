import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, type Mnist } from '../data/mnist';
import { useBackend } from '../train/backend';
import { DEFAULT_CONFIG, type BackendName } from '../train/config';
import { TwinTrainer } from '../train/trainer';
import { BatchStream } from '../train/batches';

/**
 * The in-browser half of `npm run bench`: each call measures one configuration on the main
 * thread and returns examples per second. Steps run for at least `seconds` after a warm-up
 * (first steps compile shaders and grow buffers), and time ends on a readback so queued GPU
 * work is counted.
 */
export interface RunOptions {
  backend: BackendName;
  seconds: number;
  warmupSteps: number;
  batchSize?: number;
}
export interface RunResult {
  backend: string;
  examplesPerSecond: number;
  steps: number;
  error?: string;
}

let data: Mnist | undefined;
const mnist = async (): Promise<Mnist> => (data ??= await loadMnist(location.href, () => undefined));

async function switchTo(backend: BackendName): Promise<string> {
  const used = await useBackend(backend);
  if (used.name !== backend) throw new Error(`${backend} is not available here (${used.unavailable ?? 'fell back'})`);
  return used.name;
}

/** The lab's custom loop (one network, no twin) with or without BN and instrumentation. */
export async function lab(opts: RunOptions & { norm: 'bn' | null; instrument: boolean }): Promise<RunResult> {
  try {
    const backend = await switchTo(opts.backend);
    const config = { ...DEFAULT_CONFIG, batchSize: opts.batchSize ?? 32, steps: 1_000_000, instrument: opts.instrument, metricsEvery: 10 };
    const trainer = new TwinTrainer(config, await mnist(), [{ name: 'norm', norm: opts.norm }]);
    try {
      for (let i = 0; i < opts.warmupSteps; i++) trainer.trainStep();
      await trainer.readMetrics();
      const start = performance.now();
      let steps = 0;
      while (performance.now() - start < opts.seconds * 1000) {
        trainer.trainStep();
        steps++;
        if (steps % config.metricsEvery === 0) await trainer.readMetrics();
      }
      await trainer.readMetrics();
      const seconds = (performance.now() - start) / 1000;
      return { backend, examplesPerSecond: (steps * config.batchSize) / seconds, steps };
    } finally {
      trainer.dispose();
    }
  } catch (err) {
    return { backend: opts.backend, examplesPerSecond: 0, steps: 0, error: (err as Error).message };
  }
}

export interface AccuracyOptions {
  backend: BackendName;
  /** Wall-clock budget for training, in seconds (evaluations are not counted against it). */
  seconds: number;
  target: number;
  twins: boolean;
  batchSize: number;
  learningRate: number;
  evalEvery: number;
}
export interface AccuracyResult {
  backend: string;
  /** Training seconds until the full test set first reached the target, or null if it did not. */
  secondsToTarget: number | null;
  best: number;
  curve: Array<{ step: number; seconds: number; accuracy: number }>;
  error?: string;
}

/**
 * The lab's target: how long the BN network (alone, or beside its plain twin as the lab runs it)
 * trains before the whole 10 000-image test set, in inference mode, reaches `target`.
 */
export async function timeToAccuracy(opts: AccuracyOptions): Promise<AccuracyResult> {
  try {
    const backend = await switchTo(opts.backend);
    const config = { ...DEFAULT_CONFIG, batchSize: opts.batchSize, learningRate: opts.learningRate, steps: 1_000_000, instrument: false };
    const variants = opts.twins ? undefined : [{ name: 'norm' as const, norm: 'bn' as const }];
    const trainer = new TwinTrainer(config, await mnist(), variants);
    const curve: AccuracyResult['curve'] = [];
    let trained = 0;
    try {
      while (trained < opts.seconds * 1000) {
        const start = performance.now();
        for (let i = 1; i <= opts.evalEvery; i++) {
          trainer.trainStep();
          // The last step of a stretch always reads, so the clock stops on finished work.
          if (trainer.step % config.metricsEvery === 0 || i === opts.evalEvery) await trainer.readMetrics();
        }
        trained += performance.now() - start;
        const accuracy = (await trainer.evaluate(10_000)).norm!.inferAccuracy;
        curve.push({ step: trainer.step, seconds: trained / 1000, accuracy });
        if (accuracy >= opts.target) break;
      }
      const hit = curve.find((c) => c.accuracy >= opts.target);
      return { backend, secondsToTarget: hit ? hit.seconds : null, best: Math.max(...curve.map((c) => c.accuracy)), curve };
    } finally {
      trainer.dispose();
    }
  } catch (err) {
    return { backend: opts.backend, secondsToTarget: null, best: 0, curve: [], error: (err as Error).message };
  }
}

/** What a developer would otherwise write: the same CNN in tfjs-layers, trained by model.fit. */
export async function fit(opts: RunOptions): Promise<RunResult> {
  const tfl = await import('@tensorflow/tfjs-layers');
  try {
    const backend = await switchTo(opts.backend);
    const batchSize = opts.batchSize ?? 32;
    const model = tfl.sequential();
    model.add(tfl.layers.reshape({ targetShape: [28, 28, 1], inputShape: [784] }));
    for (const filters of [8, 16, 32]) {
      model.add(tfl.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }));
      model.add(tfl.layers.batchNormalization());
      model.add(tfl.layers.activation({ activation: 'relu' }));
      model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    }
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 10, activation: 'softmax' }));
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
    const stream = new BatchStream((await mnist()).train, batchSize, 1);
    // One fit call per chunk of steps, as a developer would loop over epochs of a fixed tensor. The
    // chunk is sized from a one-batch warm-up so a slow backend still finishes near `seconds`.
    let chunkSteps = 1;
    const chunk = () => {
      const parts = Array.from({ length: chunkSteps }, () => stream.next());
      const x = tf.concat(parts.map((p) => p.x));
      const y = tf.concat(parts.map((p) => p.y));
      tf.dispose(parts.flatMap((p) => [p.x, p.y]));
      return { x, y };
    };
    try {
      for (let i = 0; i < Math.max(1, opts.warmupSteps); i++) {
        const warm = chunk();
        const t0 = performance.now();
        await model.fit(warm.x, warm.y, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
        tf.dispose([warm.x, warm.y]);
        const perStep = (performance.now() - t0) / 1000;
        chunkSteps = Math.max(1, Math.min(20, Math.floor(opts.seconds / (4 * perStep))));
      }
      const start = performance.now();
      let steps = 0;
      while (performance.now() - start < opts.seconds * 1000) {
        const { x, y } = chunk();
        await model.fit(x, y, { batchSize, epochs: 1, shuffle: false, verbose: 0 });
        tf.dispose([x, y]);
        steps += chunkSteps;
      }
      const seconds = (performance.now() - start) / 1000;
      return { backend, examplesPerSecond: (steps * batchSize) / seconds, steps };
    } finally {
      model.dispose();
    }
  } catch (err) {
    return { backend: opts.backend, examplesPerSecond: 0, steps: 0, error: (err as Error).message };
  }
}

declare global {
  interface Window {
    bnBench?: { lab: typeof lab; fit: typeof fit; timeToAccuracy: typeof timeToAccuracy; ready: true };
  }
}
window.bnBench = { lab, fit, timeToAccuracy, ready: true };
