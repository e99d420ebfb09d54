import type { Mnist } from '../../data/mnist';
import type { RunConfig } from '../config';
import type { PerRun, RunMetrics, RunName, SweepPoint, SweepSpec, Variant } from './protocol';
import { yieldToEvents } from '../core/schedule';
import { TwinTrainer } from './trainer';

/** Accuracy at or below this (10 classes: chance is 10%) counts as a run that failed to learn. */
export const FAILED_ACCURACY = 0.2;

/**
 * Short twin runs across a range of learning rates (normalized vs plain) or batch sizes
 * (BN vs GroupNorm, whose statistics do not depend on the batch).
 */
export async function runSweep(
  spec: SweepSpec,
  base: RunConfig,
  data: Mnist,
  onPoint: (point: SweepPoint, index: number) => void,
  cancelled: () => boolean,
): Promise<SweepPoint[]> {
  const points: SweepPoint[] = [];
  for (const [index, value] of spec.values.entries()) {
    if (cancelled()) break;
    const config: RunConfig = {
      ...base,
      steps: spec.steps,
      instrument: false,
      metricsEvery: 10,
      ...(spec.kind === 'lr' ? { learningRate: value } : { batchSize: value }),
    };
    const variants: Variant[] | undefined = spec.kind === 'batch' ? [{ name: 'bn', norm: 'bn' }, { name: 'gn', norm: 'gn' }] : undefined;
    const trainer = new TwinTrainer(config, data, variants);
    const divergedAt: PerRun<number> = {};
    let last: PerRun<RunMetrics> = {};
    try {
      while (!trainer.done && !cancelled()) {
        trainer.trainStep();
        await yieldToEvents();
        if (trainer.step % config.metricsEvery === 0 || trainer.done) {
          last = await trainer.readMetrics();
          for (const [name, m] of Object.entries(last) as Array<[RunName, RunMetrics]>) if (m.status === 'diverged' && divergedAt[name] === undefined) divergedAt[name] = trainer.step;
        }
      }
      const evals = await trainer.evaluate(500);
      const runs: SweepPoint['runs'] = {};
      for (const run of trainer.runs) {
        const accuracy = evals[run.name]!.inferAccuracy;
        const loss = last[run.name]?.loss ?? Number.NaN;
        runs[run.name] = { diverged: divergedAt[run.name] !== undefined || !Number.isFinite(loss) || accuracy <= FAILED_ACCURACY, divergedAtStep: divergedAt[run.name] ?? null, loss, accuracy };
      }
      const point = { value, runs };
      points.push(point);
      onPoint(point, index);
    } finally {
      trainer.dispose();
    }
  }
  return points;
}
