import type { Mnist } from '../../../src/lib/data/mnist';
import type { RunConfig } from '../../../src/lib/train/config';
import type { RunCurves } from '../../../src/lib/lab/verdicts';
import { TwinTrainer } from '../../../src/lib/train/lab/trainer';

/**
 * Trains a twin run in Node and records its curves at the lab page's cadence (loop.ts): the loss
 * after each of the first 10 steps and then every 10, inference-mode accuracy on the first
 * `evalExamples` test images every 20 steps and on all of them at the run's last step. What the
 * page's charts and captions get, without a browser; `upTo` stops early.
 */
export async function recordTwinCurves(config: RunConfig, data: Mnist, upTo = config.steps): Promise<RunCurves> {
  const trainer = new TwinTrainer(config, data);
  const curves: RunCurves = { metrics: [], evals: [] };
  try {
    while (!trainer.done && trainer.step < upTo) {
      trainer.trainStep();
      const step = trainer.step;
      if (step <= 10 || step % config.metricsEvery === 0) curves.metrics.push({ step, runs: await trainer.readMetrics() });
      // The page's last evaluation uses every test image; the periodic ones the first evalExamples.
      if (trainer.done) curves.evals.push({ step, runs: await trainer.evaluate(Number.POSITIVE_INFINITY, undefined, { trainMode: false }) });
      else if (step % 20 === 0) curves.evals.push({ step, runs: await trainer.evaluate(config.evalExamples, undefined, { trainMode: false }) });
    }
  } finally {
    trainer.dispose();
  }
  return curves;
}

