import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

let ready: Promise<typeof tf> | undefined;

/**
 * tfjs on the cpu backend, for the chapter widgets and for numbers computed at build time.
 * Widgets work on small tensors and read every result back at once, where the cpu backend beats
 * a GPU round trip; the lab trains on its own backend in a worker.
 */
export function cpuTf(): Promise<typeof tf> {
  ready ??= tf.setBackend('cpu').then(() => tf);
  return ready;
}
