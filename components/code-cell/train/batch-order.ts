import { IMAGE_SIZE, type Mnist } from '../../../src/lib/data/mnist';
import { seededRng } from '../../../src/lib/data/random';
import { TRAIN_SETTINGS, type TrainData } from './protocol';

/**
 * The training-set indices of the lab's first `steps` batches (src/lib/train/batches.ts
 * BatchStream: a seeded Fisher–Yates permutation walked batch by batch), computed without tfjs
 * so the page can send the sandbox exactly those images. tests/unit/cells/train.test.ts checks
 * it against BatchStream itself.
 */
export function labBatchIndices(count: number, batchSize: number, seed: number, steps: number): Uint32Array {
  const order = Uint32Array.from({ length: count }, (_, i) => i);
  const rng = seededRng(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const out = new Uint32Array(steps * batchSize);
  let cursor = 0;
  for (let s = 0; s < steps; s++) {
    if (cursor + batchSize > order.length) cursor = 0;
    out.set(order.subarray(cursor, cursor + batchSize), s * batchSize);
    cursor += batchSize;
  }
  return out;
}

/** The images and labels "Train with my BN" sends the sandbox: the lab's first batches, in order, and the first test images. */
export function trainDataFor(mnist: Mnist, steps: number): TrainData {
  const { batchSize, seed, testExamples } = TRAIN_SETTINGS;
  const indices = labBatchIndices(mnist.train.count, batchSize, seed, steps);
  const trainImages = new Uint8Array(indices.length * IMAGE_SIZE);
  const trainLabels = new Uint8Array(indices.length);
  indices.forEach((i, k) => {
    trainImages.set(mnist.train.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE), k * IMAGE_SIZE);
    trainLabels[k] = mnist.train.labels[i]!;
  });
  return {
    trainImages,
    trainLabels,
    testImages: mnist.test.images.slice(0, testExamples * IMAGE_SIZE),
    testLabels: mnist.test.labels.slice(0, testExamples),
  };
}
