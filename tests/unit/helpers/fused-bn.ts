import { batchNormTrain, batchNormTrainFused, OPS_PASSES, type FusedPasses } from '../../../src/lib/bn';
import { expect } from 'vitest';
import { expectNoLeak, tf } from '../bn/setup';

/** What the fused BN op's tests share (tests/unit/bn/fused.test.ts and tests/unit/kernels/batchnorm.test.ts). */
export type Grads = { dx: Float32Array; dgamma: Float32Array; dbeta: Float32Array };
export const read = (ts: Array<tf.Tensor | null>): Grads => {
  const [dx, dgamma, dbeta] = ts.map((t) => t!.dataSync() as Float32Array);
  return { dx: dx!, dgamma: dgamma!, dbeta: dbeta! };
};

/** Gradients of sum(y·dy) through `fn`'s output, by tfjs autodiff (customGrad's gradFunc for the fused op). */
export function gradsOf(fn: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor, x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, dy: tf.Tensor): Grads {
  return tf.tidy(() => read(tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(fn(xi, gi, bi), dy)))([x, gamma, beta])));
}

/** The closed-form gradients in float64, per channel, from flat channels-last data. */
export function exactGradients(x: ArrayLike<number>, dy: ArrayLike<number>, gamma: number[], eps: number): Grads {
  const c = gamma.length;
  const m = x.length / c;
  const dx = new Float32Array(x.length);
  const dgamma = new Float32Array(c);
  const dbeta = new Float32Array(c);
  for (let k = 0; k < c; k++) {
    const idx = Array.from({ length: m }, (_, i) => i * c + k);
    const mean = idx.reduce((s, i) => s + x[i]!, 0) / m;
    const invStd = 1 / Math.sqrt(idx.reduce((s, i) => s + (x[i]! - mean) ** 2, 0) / m + eps);
    const sumDy = idx.reduce((s, i) => s + dy[i]!, 0);
    const sumDyXHat = idx.reduce((s, i) => s + dy[i]! * (x[i]! - mean) * invStd, 0);
    for (const i of idx) dx[i] = ((gamma[k]! * invStd) / m) * (m * dy[i]! - sumDy - (x[i]! - mean) * invStd * sumDyXHat);
    dgamma[k] = sumDyXHat;
    dbeta[k] = sumDy;
  }
  return { dx, dgamma, dbeta };
}

export const reference = (eps: number) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrain(x, { gamma: g, beta: b, eps, validate: false }).y;
export const fused = (eps: number, passes: FusedPasses = OPS_PASSES) => (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => batchNormTrainFused(x, { gamma: g, beta: b, eps, passes, validate: false }).y;

// A channel with a large mean (the input of a layer whose bias has drifted) and one with a small
// spread, so a variance computed as E[x²] − E[x]² or a mis-signed term would show. Channels past
// the fourth repeat the pattern (the WASM kernels take channels in groups of 4 plus a remainder).
export function inputs(shape: number[]) {
  const c = shape.at(-1)!;
  const cycle = (v: number[]) => tf.tensor1d(Array.from({ length: c }, (_, k) => v[k % 4]! * (1 + Math.floor(k / 4) / 8)));
  const x = tf.tidy(() => tf.add(tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 21), cycle([2, 0.05, 1, 3])), cycle([1, -3, 40, 0])));
  const dy = tf.randomNormal(shape, 0, 1, 'float32', 22);
  return { x, dy, gamma: cycle([1.5, -0.5, 2, 0.7]), beta: cycle([0.1, 0.2, 0.3, -0.4]) };
}

/**
 * The op leaves no tensor behind in the forward or the backward pass, on the backend in use; with
 * keepStats the statistics outlive the caller's tidy, equal to the clones, and are the only
 * tensors left until the caller disposes them.
 */
export function expectLeakFree(passes: FusedPasses): void {
  const { x, dy, gamma, beta } = inputs([6, 3]);
  expectNoLeak(() => {
    const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, passes });
    return [r.y, r.mean, r.varianceBiased, r.varianceUnbiased];
  });
  expectNoLeak(() => tf.grads((xi: tf.Tensor, gi: tf.Tensor, bi: tf.Tensor) => tf.sum(tf.mul(fused(1e-5, passes)(xi, gi, bi), dy)))([x, gamma, beta]));
  const before = tf.memory().numTensors;
  const want = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, passes });
  const wanted = [want.mean, want.varianceBiased, want.varianceUnbiased].map((t) => Array.from(t.dataSync()));
  tf.dispose([want.y, want.mean, want.varianceBiased, want.varianceUnbiased]);
  const kept = tf.tidy(() => {
    const r = batchNormTrainFused(x, { gamma, beta, eps: 1e-5, passes, keepStats: true });
    return [r.mean, r.varianceBiased, r.varianceUnbiased].map((t) => ({ t }));
  }).map(({ t }) => t);
  expect(tf.memory().numTensors).toBe(before + 3);
  expect(kept.map((t) => Array.from(t.dataSync()))).toEqual(wanted);
  tf.dispose(kept);
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, dy, gamma, beta]);
}
