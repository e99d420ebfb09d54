import * as tf from '@tensorflow/tfjs-core';
import { seededRng } from '../../data/random';
import { IMAGE_SIZE, type MnistSplit } from '../../data/mnist';

/** A seeded permutation of the training set, walked batch by batch; both twins see the same order. */
export class BatchStream {
  readonly #split: MnistSplit;
  readonly #batchSize: number;
  readonly #order: Uint32Array;
  #cursor = 0;

  constructor(split: MnistSplit, batchSize: number, seed: number) {
    this.#split = split;
    this.#batchSize = batchSize;
    this.#order = Uint32Array.from({ length: split.count }, (_, i) => i);
    const rng = seededRng(seed);
    for (let i = this.#order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [this.#order[i], this.#order[j]] = [this.#order[j]!, this.#order[i]!];
    }
  }

  /** Moves on as if `batches` batches had been drawn: a resumed run sees the batches it would have seen. */
  skip(batches: number): void {
    for (let i = 0; i < batches; i++) {
      if (this.#cursor + this.#batchSize > this.#order.length) this.#cursor = 0;
      this.#cursor += this.#batchSize;
    }
  }

  /** The next batch as [B, 784] pixels in 0..1 and [B, 10] one-hot labels. */
  next(): { x: tf.Tensor2D; y: tf.Tensor2D } {
    if (this.#cursor + this.#batchSize > this.#order.length) this.#cursor = 0;
    const idx = this.#order.subarray(this.#cursor, this.#cursor + this.#batchSize);
    this.#cursor += this.#batchSize;
    return gather(this.#split, idx);
  }
}

export function gather(split: MnistSplit, indices: ArrayLike<number>): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const n = indices.length;
  const pixels = new Float32Array(n * IMAGE_SIZE);
  const labels = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k]!;
    const src = split.images.subarray(i * IMAGE_SIZE, (i + 1) * IMAGE_SIZE);
    for (let p = 0; p < IMAGE_SIZE; p++) pixels[k * IMAGE_SIZE + p] = src[p]! / 255;
    labels[k] = split.labels[i]!;
  }
  return tf.tidy(() => ({
    x: tf.tensor2d(pixels, [n, IMAGE_SIZE]),
    y: tf.cast(tf.oneHot(tf.tensor1d(labels, 'int32'), 10), 'float32') as tf.Tensor2D,
  }));
}

export const range = (start: number, end: number): Uint32Array => Uint32Array.from({ length: end - start }, (_, i) => start + i);
