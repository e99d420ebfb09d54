import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CELLS, type Exercise } from '../../../components/code-cell/exercises';
import { readerFunction } from '../../../components/code-cell/run-cell';
import { labBatchIndices, trainDataFor } from '../../../components/code-cell/train/batch-order';
import { TRAIN_SETTINGS } from '../../../components/code-cell/train/protocol';
import { LayerError, trainTwins } from '../../../components/code-cell/train/twin';
import { verdict } from '../../../components/code-cell/train/verdict';
import { BatchStream } from '../../../src/lib/train/core/batches';
import { registerLabKernels } from '../../../src/lib/kernels';
import { loadMnistFromPackage } from '../helpers/mnist-node';

const mnist = loadMnistFromPackage();
const algorithm1 = CELLS.find((c): c is Exercise => c.id === 'algorithm-1')!;

beforeAll(async () => {
  registerLabKernels();
  await tf.setBackend('wasm');
});

describe('the batches sent to the sandbox', () => {
  it('are the lab’s BatchStream batches, in order', () => {
    const { batchSize, seed } = TRAIN_SETTINGS;
    const stream = new BatchStream(mnist.train, batchSize, seed);
    const indices = labBatchIndices(mnist.train.count, batchSize, seed, 3);
    const data = trainDataFor(mnist, 3);
    for (let step = 0; step < 3; step++) {
      const { x, y } = stream.next();
      const labels = Array.from(tf.argMax(y, 1).dataSync());
      expect(labels).toEqual(Array.from(data.trainLabels.subarray(step * batchSize, (step + 1) * batchSize)));
      const first = Array.from(x.dataSync().subarray(0, 784)).map((v) => Math.round(v * 255));
      expect(first).toEqual(Array.from(mnist.train.images.subarray(indices[step * batchSize]! * 784, (indices[step * batchSize]! + 1) * 784)));
      tf.dispose([x, y]);
    }
  });
});

describe('Train with my BN, through the same code as the sandbox', () => {
  const data = trainDataFor(mnist, 100);

  it('the solution trains like the built-in BN for 100 steps', async () => {
    const run = await trainTwins(data, 100, await readerFunction(algorithm1.solution, 'batchNorm'));
    const v = verdict(run);
    expect(v.kind, v.text).toBe('agree');
    expect(run.steps).toHaveLength(100);
    expect(run.evals.map((e) => e.step)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(run.evals.at(-1)!.accuracy.site).toBeGreaterThan(0.85);
    expect(v.text).toMatch(/^Your BN trains like the built-in one: loss within 0\.30% at each of the first 10 steps/);
  }, 240_000);

  const variants = [...algorithm1.mistakes, ...(algorithm1.trainingMistakes ?? [])];
  it('declares what every Algorithm 1 mistake does in training', () => {
    for (const m of variants) expect(m.trains, m.id).toBeDefined();
  });

  it.each(variants.map((m) => [m.id, m] as const))('the mistake %s gets its verdict in 10 steps', async (_, m) => {
    const run = await trainTwins(data, 10, await readerFunction(m.code, 'batchNorm'));
    const v = verdict(run);
    expect(v.kind, v.text).toBe(m.trains!.verdict);
  }, 60_000);

  const backward = CELLS.find((c): c is Exercise => c.id === 'backward')!;
  it('with the reader’s solved batchNormBackward as the gradient, a correct pair agrees and a wrong backward parts', async () => {
    const norm = await readerFunction(algorithm1.solution, 'batchNorm');
    const right = await trainTwins(data, 10, norm, {}, await readerFunction(backward.solution, 'batchNormBackward'));
    expect(verdict(right).kind, verdict(right).text).toBe('agree');
    const constantStats = backward.mistakes.find((m) => m.id === 'constant-stats')!;
    const wrong = await trainTwins(data, 10, norm, {}, await readerFunction(constantStats.code, 'batchNormBackward'));
    expect(verdict(wrong).kind, verdict(wrong).text).toBe('gradient-differs');
  }, 60_000);

  it('an exception in the layer names the step and the layer', async () => {
    const code = algorithm1.solution.replace('const mean = tf.mean(x, 0);', 'if (x.shape[1] === 16 && ++globalThis.calls === 6) throw new RangeError("boom");\n  const mean = tf.mean(x, 0);');
    (globalThis as { calls?: number }).calls = 0;
    const err = await trainTwins(data, 10, await readerFunction(code, 'batchNorm')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LayerError);
    expect((err as LayerError).place).toEqual({ step: 5, layer: 2, pass: 'forward' });
    expect((err as LayerError).message).toBe('boom');
    expect(verdict({ steps: [], evals: [], notes: [], ended: { kind: 'error', place: (err as LayerError).place, message: 'RangeError: boom' } }).text).toBe(
      'Your code failed at step 5, in layer 2: RangeError: boom',
    );
  });

  it('a layer returning the wrong shape is named', async () => {
    const code = 'function batchNorm(x, gamma, beta) { return { y: tf.mean(x, 0), mean: tf.mean(x, 0), variance: tf.mean(x, 0) }; }';
    const err = await trainTwins(data, 2, await readerFunction(code, 'batchNorm')).catch((e: unknown) => e);
    expect((err as LayerError).message).toBe('batchNorm returned y of shape [8] for x of shape [25088, 8]');
  });

  it('frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    await trainTwins(data, 2, await readerFunction(algorithm1.solution, 'batchNorm'));
    expect(tf.memory().numTensors).toBe(before);
  });
});
