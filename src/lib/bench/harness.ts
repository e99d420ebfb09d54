import * as tf from '@tensorflow/tfjs-core';
import { loadMnist, type Mnist } from '../data/mnist';
import { useBackend } from '../train/core/backend';
import { DEFAULT_CONFIG, type BackendName, type OptimizerName } from '../train/config';
import { TwinTrainer } from '../train/lab/trainer';
import { BatchStream } from '../train/core/batches';

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

export interface LossSequenceOptions {
  backend: BackendName;
  steps: number;
  seed: number;
  optimizer?: OptimizerName;
}
export interface LossSequenceResult {
  backend: string;
  /** Each twin's training loss after every step (the loss of the batch that step trained on). */
  losses: { norm: number[]; plain: number[] };
  /** The backend's epsilon, which tf.train.adam adds to √v̂ (1e-7 in float32, 1e-4 in float16). */
  epsilon?: number;
  error?: string;
}

/**
 * The lab's default twin run (CNN + BN beside the plain CNN, batch 32, Adam 0.01, or another
 * optimizer at the same rate) for `steps` steps at `seed`, reading both losses after every step: the browser test compares backends
 * with it (tests/e2e/backends.spec.ts).
 */
export async function lossSequence(opts: LossSequenceOptions): Promise<LossSequenceResult> {
  const losses = { norm: [] as number[], plain: [] as number[] };
  try {
    const backend = await switchTo(opts.backend);
    const config = { ...DEFAULT_CONFIG, steps: opts.steps, seed: opts.seed, instrument: false, optimizer: opts.optimizer ?? DEFAULT_CONFIG.optimizer };
    const trainer = new TwinTrainer(config, await mnist());
    try {
      while (!trainer.done) {
        trainer.trainStep();
        const m = await trainer.readMetrics();
        losses.norm.push(m.norm!.loss);
        losses.plain.push(m.plain!.loss);
      }
      return { backend, losses, epsilon: tf.backend().epsilon() };
    } finally {
      trainer.dispose();
    }
  } catch (err) {
    return { backend: opts.backend, losses, error: (err as Error).message };
  }
}

export interface ProfileOptions {
  backend: BackendName;
  norm: 'bn' | null;
  /** Profiled steps; the rows are per-step means over them. */
  steps: number;
  warmupSteps: number;
  top: number;
  batchSize?: number;
}
export interface ProfileRow {
  kernel: string;
  /** Input shapes, so the same kernel on different layers stays apart. */
  inputs: string;
  callsPerStep: number;
  msPerStep: number;
}
export interface ProfileResult {
  backend: string;
  steps: number;
  /** Wall clock per step without the profiler, ending on a readback. */
  wallMsPerStep: number;
  /** Sum of all kernels' times per step, and how many kernels ran per step. */
  kernelMsPerStep: number;
  kernelsPerStep: number;
  top: ProfileRow[];
  error?: string;
}

/**
 * One training step of the lab's network (TwinTrainer with one variant, no instrumentation)
 * under tf.profile: each kernel's time, summed per kernel and input shapes, the `top` largest
 * per step. Only registered kernels count: composite ops (tf.customGrad, fused ops' wrappers)
 * appear in the profile around the kernels they run and would count those twice. On WASM a
 * kernel's time is the wall clock around its synchronous call.
 */
export async function profileStep(opts: ProfileOptions): Promise<ProfileResult> {
  try {
    const backend = await switchTo(opts.backend);
    const config = { ...DEFAULT_CONFIG, batchSize: opts.batchSize ?? 32, steps: 1_000_000, instrument: false };
    const trainer = new TwinTrainer(config, await mnist(), [{ name: 'norm', norm: opts.norm }]);
    try {
      for (let i = 0; i < opts.warmupSteps; i++) trainer.trainStep();
      await trainer.readMetrics();
      const start = performance.now();
      for (let i = 0; i < opts.steps; i++) trainer.trainStep();
      await trainer.readMetrics();
      const wallMsPerStep = (performance.now() - start) / opts.steps;
      const rows = new Map<string, { kernel: string; inputs: string; calls: number; ms: number }>();
      let kernels = 0;
      for (let i = 0; i < opts.steps; i++) {
        const info = await tf.profile(() => trainer.trainStep());
        for (const k of info.kernels) {
          if (!tf.getKernel(k.name, backend)) continue;
          const inputs = k.inputShapes.map((s) => `[${s?.join(',') ?? ''}]`).join(' ');
          const key = `${k.name} ${inputs}`;
          const row = rows.get(key) ?? { kernel: k.name, inputs, calls: 0, ms: 0 };
          const ms = await k.kernelTimeMs;
          row.calls += 1;
          row.ms += typeof ms === 'number' ? ms : 0;
          rows.set(key, row);
          kernels += 1;
        }
      }
      const all = [...rows.values()].map((r) => ({ kernel: r.kernel, inputs: r.inputs, callsPerStep: r.calls / opts.steps, msPerStep: r.ms / opts.steps }));
      all.sort((a, b) => b.msPerStep - a.msPerStep);
      return {
        backend,
        steps: opts.steps,
        wallMsPerStep,
        kernelMsPerStep: all.reduce((sum, r) => sum + r.msPerStep, 0),
        kernelsPerStep: kernels / opts.steps,
        top: all.slice(0, opts.top),
      };
    } finally {
      trainer.dispose();
    }
  } catch (err) {
    return { backend: opts.backend, steps: 0, wallMsPerStep: 0, kernelMsPerStep: 0, kernelsPerStep: 0, top: [], error: (err as Error).message };
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
    bnBench?: { lab: typeof lab; fit: typeof fit; timeToAccuracy: typeof timeToAccuracy; profileStep: typeof profileStep; lossSequence: typeof lossSequence; ready: true };
  }
}
window.bnBench = { lab, fit, timeToAccuracy, profileStep, lossSequence, ready: true };
