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
