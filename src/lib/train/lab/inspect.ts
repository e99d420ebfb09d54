import * as tf from '@tensorflow/tfjs-core';
import type { MnistSplit } from '../../data/mnist';
import { gather, range } from '../core/batches';
import type { BatchStat, ForwardTaps, Model } from '../core/model';
import type { DigitPredictions, FeatureMaps, LayerMap } from './protocol';

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

/** The normalized twin's three readings of a drawn digit (784 values in 0..1); `context` the test digits it joins in training mode. */
export async function readNormalized(norm: Model, pixels: Float32Array, context: tf.Tensor2D): Promise<Pick<DigitPredictions, 'normInference' | 'normBatchOfOne' | 'normInBatch'>> {
  const probs = tf.tidy(() => {
    const x = tf.tensor2d(pixels, [1, 784]);
    const stats: BatchStat[] = [];
    const one = norm.forwardTrain(x, stats);
    const batch = norm.forwardTrain(tf.concat([context, x], 0), stats);
    freeStats(stats);
    return tf.softmax(tf.concat([norm.forwardInfer(x), one, tf.slice(batch, [CONTEXT_SIZE, 0], [1, 10])], 0));
  });
  const v = await probs.data();
  probs.dispose();
  const row = (i: number): number[] => Array.from(v.subarray(i * 10, i * 10 + 10));
  return { normInference: row(0), normBatchOfOne: row(1), normInBatch: row(2) };
}

/** The plain twin's class probabilities for a drawn digit. */
export async function readPlain(plain: Model, pixels: Float32Array): Promise<number[]> {
  const probs = tf.tidy(() => tf.softmax(plain.forwardInfer(tf.tensor2d(pixels, [1, 784]))));
  const v = Array.from(await probs.data());
  probs.dispose();
  return v;
}

/** A layer's activations for one digit in one network, going into and out of its normalization. */
export async function layerMap(model: Model, pixels: Float32Array, layer: number): Promise<LayerMap> {
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
}

/** What one worker's twins contribute to a drawn digit's readings: the normalized twin's three, the plain twin's one. */
export interface DigitPart {
  predictions: Partial<DigitPredictions>;
  maps: Partial<Record<'norm' | 'plain', LayerMap>>;
}

/** A drawn digit's readings from the networks at hand (`norm`, `plain` or both). */
export async function readDigitPart(models: { norm?: Model; plain?: Model }, pixels: Float32Array, layer: number, context: tf.Tensor2D): Promise<DigitPart> {
  const part: DigitPart = { predictions: {}, maps: {} };
  if (models.norm) {
    Object.assign(part.predictions, await readNormalized(models.norm, pixels, context));
    part.maps.norm = await layerMap(models.norm, pixels, layer);
  }
  if (models.plain) {
    part.predictions.plain = await readPlain(models.plain, pixels);
    part.maps.plain = await layerMap(models.plain, pixels, layer);
  }
  return part;
}

/** The parts from the two twins (one worker's, or each twin's own) as the page's one answer. */
export function joinDigitParts(parts: DigitPart[], layer: number): { predictions: DigitPredictions; maps: FeatureMaps } {
  const p: Partial<DigitPredictions> = Object.assign({}, ...parts.map((x) => x.predictions));
  const m: DigitPart['maps'] = Object.assign({}, ...parts.map((x) => x.maps));
  if (!p.normInference || !p.normBatchOfOne || !p.normInBatch || !p.plain || !m.norm || !m.plain) throw new Error('the digit tools need the normalized and the plain network');
  return { predictions: { normInference: p.normInference, plain: p.plain, normBatchOfOne: p.normBatchOfOne, normInBatch: p.normInBatch }, maps: { layer, norm: m.norm, plain: m.plain } };
}
