import type { Mnist, MnistSplit } from '../../data/mnist';
import { seededRng } from '../../data/random';
import type { RunConfig } from '../config';
import { TwinTrainer } from './trainer';

/**
 * Random pixels and labels in MNIST's shapes: a training step costs the same on them as on real
 * digits, and a speed measurement must not wait for the 11 MB download.
 */
function syntheticSplit(count: number, seed: number): MnistSplit {
  const rng = seededRng(seed);
  return {
    images: Uint8Array.from({ length: count * 784 }, () => Math.floor(rng() * 256)),
    labels: Uint8Array.from({ length: count }, () => Math.floor(rng() * 10)),
    count,
  };
}

export interface SpeedMeasurement {
  /** Both twins counted, as the lab's speed readout counts them. */
  examplesPerSecond: number;
  /** The first (cold) step: kernel compilation, shader linking, weight upload. */
  firstStepMs: number;
}

/**
 * Trains the lab's twin on the current tfjs backend for about `windowMs` after one warm-up step,
 * reading the loss back so queued GPU work is counted. The caller has already switched backends.
 */
export async function measureTraining(config: RunConfig, windowMs = 700): Promise<SpeedMeasurement> {
  const split = syntheticSplit(Math.max(256, config.batchSize * 4), 7);
  const data: Mnist = { train: split, test: split };
  const trainer = new TwinTrainer({ ...config, steps: Number.MAX_SAFE_INTEGER, instrument: false }, data);
  try {
    const cold = performance.now();
    trainer.trainStep();
    await trainer.readMetrics();
    const firstStepMs = performance.now() - cold;
    const start = performance.now();
    let steps = 0;
    while (performance.now() - start < windowMs || steps < 2) {
      trainer.trainStep();
      steps += 1;
      // GPU backends queue work: read back now and then so the clock sees it done.
      if (steps % 4 === 0) await trainer.readMetrics();
    }
    await trainer.readMetrics();
    const seconds = (performance.now() - start) / 1000;
    return { examplesPerSecond: (steps * config.batchSize * trainer.runs.length) / seconds, firstStepMs };
  } finally {
    trainer.dispose();
  }
}
