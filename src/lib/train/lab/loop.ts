import * as tf from '@tensorflow/tfjs-core';
import { errorText } from '../core/channel';
import type { EvalResult, LabEvent, PerRun, RunName } from './protocol';
import { yieldToEvents } from '../core/schedule';
import type { LabTrainer } from './lab-trainer';

/** The page's controls over a running training loop. */
export interface TrainingLoop {
  start(): void;
  /** Stops after the step in flight; resolves once the trainer is idle. */
  pause(): Promise<void>;
  singleStep(): Promise<void>;
}

/**
 * Evaluate on the periodic test subset this often (in steps), often enough to draw a curve; the
 * final evaluation uses every test image. Training-mode accuracy costs a second pass, so the
 * periodic evaluations add it only every TRAIN_MODE_EVERY steps.
 */
const EVAL_EVERY = 20;
const TRAIN_MODE_EVERY = 100;
/**
 * Send both networks with the evaluation this often, for the page to save: a run lost to a crash
 * or a lost GPU context goes on from there. Not every evaluation: the MLP's networks are 0.8 MB.
 */
const NETWORKS_EVERY = 100;
/** Metrics after every one of the first steps, so the charts move at once; then every metricsEvery. */
const EVERY_STEP_UNTIL = 10;

/** Each twin's evaluation with its predictions on the gallery digits. */
const withGallery = (results: PerRun<EvalResult>, gallery: PerRun<number[]>): PerRun<EvalResult> =>
  Object.fromEntries(Object.entries(results).map(([name, r]) => [name, { ...r, gallery: gallery[name as RunName] }]));

/**
 * Drives the twins' trainer and posts what the page draws. Works the same in a worker and, where a
 * worker cannot run the trainer, on the main thread (then `post` is a plain callback).
 */
export function runTrainingLoop(trainer: LabTrainer, post: (m: LabEvent) => void): TrainingLoop {
  let running = false;
  let busy: Promise<void> = Promise.resolve();
  let windowStart = performance.now();
  let windowSteps = 0;
  const reportedDivergence = new Set<RunName>();

  const report = async (): Promise<void> => {
    const metrics = await trainer.readMetrics();
    const seconds = (performance.now() - windowStart) / 1000;
    const stepsPerSecond = windowSteps / Math.max(seconds, 1e-6);
    windowStart = performance.now();
    windowSteps = 0;
    post({ type: 'metrics', metrics, stepsPerSecond, tensors: tf.memory().numTensors });
    for (const [name, m] of Object.entries(metrics) as Array<[RunName, (typeof metrics)[RunName] & object]>) {
      if (m.status === 'diverged' && !reportedDivergence.has(name)) {
        reportedDivergence.add(name);
        post({ type: 'diverged', run: name, step: m.step, loss: m.loss });
      }
    }
  };

  const oneStep = async (): Promise<void> => {
    if (trainer.done) return;
    trainer.trainStep();
    windowSteps += 1;
    const last = trainer.done;
    if (trainer.step % trainer.config.metricsEvery === 0 || trainer.step <= EVERY_STEP_UNTIL || last || !running) await report();
    if (last) {
      const results = await trainer.evaluate(Number.POSITIVE_INFINITY, (done, total) => post({ type: 'eval-progress', done, total }), { confusion: true });
      post({ type: 'eval', results: withGallery(results, await trainer.galleryPredictions()), final: true });
      post({ type: 'state', state: 'finished' });
      running = false;
    } else if (trainer.step % EVAL_EVERY === 0) {
      const results = await trainer.evaluate(undefined, undefined, { trainMode: trainer.step % TRAIN_MODE_EVERY === 0 });
      const networks = trainer.step % NETWORKS_EVERY === 0 ? { step: trainer.step, models: await trainer.exportNetworks() } : undefined;
      post({ type: 'eval', results: withGallery(results, await trainer.galleryPredictions()), final: false, ...(networks ? { networks } : {}) });
    }
  };

  const loop = async (): Promise<void> => {
    windowStart = performance.now();
    windowSteps = 0;
    try {
      while (running && !trainer.done) {
        await oneStep();
        await yieldToEvents();
      }
    } catch (err) {
      // A backend failing mid-run (a lost WebGL context, say) rejects here, not in the worker's
      // onerror: tell the page, which goes on from the saved networks on another backend.
      running = false;
      post({ type: 'failure', failure: { cause: 'step-failed', detail: errorText(err) }, fatal: true });
    }
  };

  return {
    start() {
      if (running || trainer.done) return;
      running = true;
      post({ type: 'state', state: 'training' });
      busy = busy.then(loop);
    },
    pause() {
      if (!running) return busy;
      running = false;
      busy = busy.then(() => post({ type: 'state', state: trainer.done ? 'finished' : 'paused' }));
      return busy;
    },
    singleStep() {
      if (running) return busy;
      busy = busy.then(async () => {
        windowStart = performance.now();
        windowSteps = 0;
        await oneStep();
      });
      return busy;
    },
  };
}
