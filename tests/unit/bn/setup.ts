import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { expect } from 'vitest';

export { tf };

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
}

/** Asserts that `fn` leaves no tensor behind beyond the ones it returns and the caller disposes. */
export function expectNoLeak(fn: () => tf.TensorContainer | void): void {
  const before = tf.memory().numTensors;
  const out = fn();
  if (out) tf.dispose(out as tf.TensorContainer);
  expect(tf.memory().numTensors).toBe(before);
}

export const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-5): void => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(want[i]!)));
};

/** Plain-JS reference for one channel: biased variance, as Algorithm 1. */
export function referenceBn(x: number[], gamma: number, beta: number, eps: number) {
  const m = x.length;
  const mean = x.reduce((a, b) => a + b, 0) / m;
  const varB = x.reduce((a, b) => a + (b - mean) ** 2, 0) / m;
  const xHat = x.map((v) => (v - mean) / Math.sqrt(varB + eps));
  return { mean, varB, varU: (varB * m) / (m - 1), xHat, y: xHat.map((v) => gamma * v + beta) };
}

/**
 * Plain-JS reference for a whole channels-last tensor (flat row-major data, C channels last):
 * gathers each channel's values by index, so it shares no reduction logic with tfjs.
 */
export function referenceChannelsLast(data: ArrayLike<number>, channels: number, gamma: number[], beta: number[], eps: number) {
  const y = new Array<number>(data.length);
  const stats = [];
  for (let c = 0; c < channels; c++) {
    const idx: number[] = [];
    for (let i = c; i < data.length; i += channels) idx.push(i);
    const r = referenceBn(idx.map((i) => data[i]!), gamma[c]!, beta[c]!, eps);
    idx.forEach((i, k) => (y[i] = r.y[k]!));
    stats.push(r);
  }
  return { y, mean: stats.map((s) => s.mean), varB: stats.map((s) => s.varB), varU: stats.map((s) => s.varU) };
}
