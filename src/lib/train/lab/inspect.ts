import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from '../../data/mnist';
import { gather, range } from '../core/batches';
import type { BatchStat, ForwardTaps, Model } from '../core/model';
import type { DigitPredictions, FeatureMaps } from './protocol';

/**
 * What the lab's digit tools ask of the trained twins: predictions on a fixed gallery of test
 * digits, four readings of one drawn digit (inference mode, the plain network, training mode on
 * a batch of one and in a batch of test digits), a layer's feature maps, and confusion matrices.
 * Every function reads the models and leaves no tensor behind.
 */

/** The gallery: the first test digits (7, 2, 1, 0, 4, 1, 4, 9, …), the same in every run. */
export const GALLERY_SIZE = 24;
/** The other digits of the batch the drawn digit joins in training mode: 31 + the reader's = 32, the default batch. */
export const CONTEXT_SIZE = 31;

export interface DigitSet {
  /** Pixels 0..255, one 28×28 image after another. */
  pixels: Uint8Array;
  labels: number[];
}

export function galleryDigits(test: MnistSplit): DigitSet {
  const pixels = test.images.slice(0, GALLERY_SIZE * 784);
  return { pixels, labels: Array.from(test.labels.subarray(0, GALLERY_SIZE)) };
}

/** The gallery's images as a [24, 784] tensor in 0..1 (caller disposes). */
export function galleryTensor(test: MnistSplit): tf.Tensor2D {
  const { x, y } = gather(test, range(0, GALLERY_SIZE));
  y.dispose();
  return x;
}

/** The test digits a drawn digit joins for the "training mode in a batch" reading (caller disposes). */
export function contextTensor(test: MnistSplit): tf.Tensor2D {
  const { x, y } = gather(test, range(GALLERY_SIZE, GALLERY_SIZE + CONTEXT_SIZE));
  y.dispose();
  return x;
}

/** Each image's predicted class in inference mode. */
export async function predictClasses(model: Model, x: tf.Tensor2D): Promise<number[]> {
  const classes = tf.tidy(() => tf.argMax(model.forwardInfer(x), 1));
  const out = Array.from(await classes.data());
  classes.dispose();
  return out;
}

const freeStats = (stats: BatchStat[]): void => tf.dispose(stats.flatMap((s) => [s.mean, s.varianceBiased, s.varianceUnbiased]));

/**
 * One drawn digit (784 values in 0..1) read four ways. `norm` is the normalized twin, `plain`
 * the other; `context` the test digits it joins in training mode.
 */
export async function readDigit(norm: Model, plain: Model, pixels: Float32Array, context: tf.Tensor2D): Promise<DigitPredictions> {
  const probs = tf.tidy(() => {
    const x = tf.tensor2d(pixels, [1, 784]);
    const stats: BatchStat[] = [];
    const one = norm.forwardTrain(x, stats);
    const batch = norm.forwardTrain(tf.concat([context, x], 0), stats);
    freeStats(stats);
    return tf.softmax(tf.concat([norm.forwardInfer(x), plain.forwardInfer(x), one, tf.slice(batch, [CONTEXT_SIZE, 0], [1, 10])], 0));
  });
  const v = await probs.data();
  probs.dispose();
  const row = (i: number): number[] => Array.from(v.subarray(i * 10, i * 10 + 10));
  return { normInference: row(0), plain: row(1), normBatchOfOne: row(2), normInBatch: row(3) };
}

/** A layer's activations for one digit, going into and out of its normalization, for both twins. */
export async function featureMaps(norm: Model, plain: Model, pixels: Float32Array, layer: number): Promise<FeatureMaps> {
  const read = async (model: Model) => {
    const taps: ForwardTaps = { preActivations: [], maps: [] };
    const picked = tf.tidy(() => {
      model.forwardInfer(tf.tensor2d(pixels, [1, 784]), taps);
      const m = taps.maps![layer];
      if (!m) throw new Error(`the network has no layer ${layer + 1}`);
      return { before: tf.keep(m.before), after: m.after ? tf.keep(m.after) : undefined };
    });
    const shape = picked.before.shape;
    const before = (await picked.before.data()) as Float32Array;
    const after = picked.after ? ((await picked.after.data()) as Float32Array) : undefined;
    tf.dispose([picked.before, ...(picked.after ? [picked.after] : [])]);
    // [1, H, W, C] for convs; [1, units] for dense layers, shown as one map of units.
    const [height, width, channels] = shape.length === 4 ? [shape[1]!, shape[2]!, shape[3]!] : [1, shape[1]!, 1];
    return { height, width, channels, before, ...(after ? { after } : {}) };
  };
  return { layer, norm: await read(norm), plain: await read(plain) };
}
