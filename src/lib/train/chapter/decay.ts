import * as tf from '@tensorflow/tfjs-core';
import type { Mnist } from '../../data/mnist';
import { BatchStream } from '../core/batches';
import { DECAY_RUN } from './runs';
import { buildModel, type BatchStat } from '../core/model';

export { DECAY_RUN, equilibriumStep } from './runs';

/**
 * The chapter "BN in modern networks", section 2: the lab's BN network (the paper's 3×100
 * sigmoid MLP, BN before each sigmoid) trained with plain SGD and L2 weight decay λ·w added to
 * the gradient of every weight matrix. BN makes each hidden layer's output blind to the scale of
 * its weights, so the decay can only change how far a step turns them: ‖Δw‖/‖w‖.
 */

/** One layer's weight norm and effective step at one recorded step. */
export interface DecayPoint {
  step: number;
  layer: number;
  norm: number;
  /** ‖Δw‖ / ‖w‖ of this step: the angle the weights turn through, in radians for small steps. */
  effectiveStep: number;
}

export async function trainWithDecay(data: Mnist, weightDecay: number, onProgress: (step: number) => void, steps: number = DECAY_RUN.steps): Promise<DecayPoint[]> {
  const run = DECAY_RUN;
  const model = buildModel({ preset: 'mlp', norm: 'bn', placement: 'before', groups: 1, convention: 'pytorch' }, run.seed);
  const batches = new BatchStream(data.train, run.batchSize, run.seed);
  const hidden = model.layers.map((l) => l.weight);
  const decayed = new Set([...hidden, model.head.weight]);
  const points: DecayPoint[] = [];
  try {
    for (let step = 1; step <= steps; step++) {
      const { x, y } = batches.next();
      const stats: BatchStat[] = [];
      const { value, grads } = tf.variableGrads(() => {
        stats.length = 0;
        return tf.losses.softmaxCrossEntropy(y, model.forwardTrain(x, stats)) as tf.Scalar;
      }, model.trainable);
      const record = step % run.recordEvery === 0 || step === 1;
      const sizes = tf.tidy(() => {
        const out: tf.Tensor[] = [];
        for (const v of model.trainable) {
          const g = decayed.has(v) ? tf.add(grads[v.name]!, tf.mul(v, weightDecay)) : grads[v.name]!;
          const delta = tf.mul(g, -run.learningRate);
          if (hidden.includes(v)) out.push(tf.norm(delta), tf.norm(v));
          v.assign(tf.add(v, delta));
        }
        return tf.stack(out);
      });
      model.commitRunningStats(stats);
      tf.dispose([value, x, y, ...Object.values(grads)]);
      if (record) {
        const values = await sizes.data();
        hidden.forEach((_, layer) => {
          // ‖w‖ before the step: the step's length relative to the weights it moved.
          const [delta, norm] = [values[2 * layer]!, values[2 * layer + 1]!];
          points.push({ step, layer, norm, effectiveStep: delta / norm });
        });
      }
      sizes.dispose();
      onProgress(step);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  } finally {
    model.dispose();
  }
  return points;
}
